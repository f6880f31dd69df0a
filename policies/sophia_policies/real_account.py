"""What a real account needs that a plan alone does not show: alert privileges, consumed streams, safe replaces."""

import re
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity, StackValidationArgs

from .once_per_stack import stack_access_graph
from .rule import Settings, provider_role, resource_rule, stack_rule
from .snowflake import EXECUTE, TASK, unquote

ALERT = "snowflake:index/alert:Alert"
STREAM_TYPES = tuple(
    f"snowflake:index/streamOn{kind}:StreamOn{kind}"
    for kind in ("Table", "View", "DirectoryTable", "ExternalTable")
)
ALERT_VIEWER = "SNOWFLAKE.ALERT_VIEWER"
# SNOWFLAKE.ALERT.SCHEDULED_TIME(), LAST_SUCCESSFUL_SCHEDULED_TIME(), GET_CONDITION_QUERY_UUID() ...
_ALERT_FUNCTION = re.compile(r"\bSNOWFLAKE\s*\.\s*ALERT\s*\.", re.IGNORECASE)
# A revert that only reads (the pulumi-snowflake docs' `SELECT 1` placeholder) undoes nothing.
_READ_ONLY = re.compile(r"^\s*(SELECT|SHOW|DESCRIBE|DESC)\b", re.IGNORECASE)


def _alerts_hold_alert_viewer(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    """An alert runs as its owner: if it calls SNOWFLAKE.ALERT.*, the owner must hold ALERT_VIEWER."""
    graph = stack_access_graph(args.resources)
    for alert in (r for r in args.resources if r.resource_type == ALERT):
        text = f"{alert.props.get('condition') or ''}\n{alert.props.get('action') or ''}"
        owner = provider_role(alert)
        if not _ALERT_FUNCTION.search(text) or owner is None:
            continue
        if ALERT_VIEWER not in graph.roles_of(unquote(owner)):
            report(
                f"Alert {alert.props.get('name')} calls SNOWFLAKE.ALERT functions, but its owner {owner} is not "
                f"granted the database role {ALERT_VIEWER}: every run would fail.",
                alert.urn,
            )


def _qualified(props: Any) -> tuple[str, str, str]:
    """(DATABASE, SCHEMA, NAME) of a stream or task, unquoted and upper-cased as Snowflake resolves them."""
    database, schema, name = (
        unquote(str(props.get(key) or "")).upper() for key in ("database", "schema", "name")
    )
    return database, schema, name


def _references(plain: str, stream: tuple[str, str, str], task: tuple[str, str, str]) -> bool:
    """Whether `plain` (a task's statement, unquoted and upper-cased), run in the task's schema, names the stream."""
    database, schema, name = stream
    forms = [f"{database}.{schema}.{name}"]
    if task[0] == database:
        forms.append(f"{schema}.{name}")
        if task[1] == schema:
            forms.append(name)
    return any(re.search(rf"(?<![\w$.]){re.escape(form)}(?![\w$])", plain) for form in forms)


def _streams_have_started_consumer(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    """A stream nothing reads goes stale; the provider then recreates it on every `up`."""
    readers = [
        (
            _qualified(task.props),
            unquote(f"{task.props.get('sqlStatement') or ''}\n{task.props.get('when') or ''}").upper(),
        )
        for task in args.resources
        if task.resource_type == TASK and task.props.get("started") in (True, "true")
    ]
    for stream in (r for r in args.resources if r.resource_type in STREAM_TYPES):
        qualified = _qualified(stream.props)
        if not any(_references(plain, qualified, task) for task, plain in readers):
            report(
                f"Stream {'.'.join(qualified)} has no started task that reads it: it goes stale, and the "
                "provider then recreates it with CREATE OR REPLACE on every update.",
                stream.urn,
            )


def _self_undoing_execute_deletes_first(
    args: ResourceValidationArgs, report: ReportViolation, _: Settings
) -> None:
    """Create-before-delete runs the new statement, then the old revert, which undoes the new one too."""
    revert = str(args.props.get("revert") or "")
    if not revert.strip() or _READ_ONLY.match(revert):
        return
    if not args.opts.delete_before_replace:
        report(
            f"{args.name} reverts what it executes ({revert.strip()[:80]}) but replaces create-before-delete: "
            "the old revert would undo the new statement.",
            None,
        )


REAL_ACCOUNT_RULES = [
    stack_rule(
        "alerts-calling-alert-functions-hold-alert-viewer",
        "An alert whose condition or action calls SNOWFLAKE.ALERT.* is owned by a role granted "
        "SNOWFLAKE.ALERT_VIEWER.",
        Severity.HIGH,
        "Grant the database role SNOWFLAKE.ALERT_VIEWER to the role that owns the alert.",
        _alerts_hold_alert_viewer,
    ),
    stack_rule(
        "streams-have-started-consumer",
        "Every stream is read by a started task, so it never goes stale.",
        Severity.HIGH,
        "Start the task that reads the stream (budget its schedule), or drop the stream.",
        _streams_have_started_consumer,
    ),
    resource_rule(
        "self-undoing-execute-deletes-before-replace",
        "An Execute whose revert undoes its own effect is replaced delete-before-create.",
        Severity.HIGH,
        "Set delete_before_replace=True on the Execute, so its old revert runs before the new statement.",
        _self_undoing_execute_deletes_first,
        types=(EXECUTE,),
    ),
]
