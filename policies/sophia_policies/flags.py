"""The flags the docs promise on every object of a kind: managed access, warehouses that resume and start
suspended, change tracking on every table a stream reads.

Snowflake: a stream on a table needs change tracking on it, which only the table's owner can turn on
(CREATE STREAM, access control requirements); pulumi-snowflake spells the schema and warehouse flags as the
strings "true" / "false" (schema.py `with_managed_access`, warehouse.py `auto_resume`) and the rest as booleans.
"""

from collections.abc import Mapping

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .rule import Settings, stack_rule
from .snowflake import SCHEMA, STREAM_ON_TABLE, TABLE, WAREHOUSE, unquote

# Per resource type, each flag the docs promise and why.
PROMISED_FLAGS: Mapping[str, Mapping[str, str]] = {
    SCHEMA: {"withManagedAccess": "every schema has managed access"},
    WAREHOUSE: {
        "autoResume": "every warehouse resumes on demand",
        "initiallySuspended": "every warehouse starts suspended",
    },
}


def _on(value: object) -> bool:
    return str(value).lower() == "true"


def _promised_flags(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    streamed = {
        unquote(str(r.props.get("table", ""))) for r in args.resources if r.resource_type == STREAM_ON_TABLE
    }
    for resource in args.resources:
        for flag, promise in PROMISED_FLAGS.get(resource.resource_type, {}).items():
            if not _on(resource.props.get(flag)):
                report(f"{resource.name} does not set {flag}: {promise}.", resource.urn)
        name = ".".join(unquote(str(resource.props.get(k, ""))) for k in ("database", "schema", "name"))
        if (
            resource.resource_type == TABLE
            and name in streamed
            and not _on(resource.props.get("changeTracking"))
        ):
            report(
                f"{resource.name} has a stream on it but not changeTracking: its stream would see nothing.",
                resource.urn,
            )


FLAG_RULES = [
    stack_rule(
        "promised-flags-set",
        "Every schema has managed access, every warehouse auto-resumes and starts suspended, and every table a "
        "stream reads tracks changes.",
        Severity.HIGH,
        "Set the flag on the resource named in the message (the component that declares it sets it for all).",
        _promised_flags,
    ),
]
