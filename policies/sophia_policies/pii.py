"""PII rules: high and sensitive columns carry PII_LEVEL, the tag masks them, and APP never sees them clear."""

import re

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from models.naming import Naming

from .once_per_stack import stack_access_graph
from .rule import STRING, STRINGS, Settings, cis, stack_rule
from .snowflake import MASKING_POLICY, TAG, TASK, unquote
from .tags import columns_by_pii_level, tag_values

PROTECTED_LEVELS = ("high", "sensitive")
PII_TAGGING = "sophia:pii_tagging:PiiTagging"
# What the PII tagging task runs for a column: ALTER TABLE <db>.<schema>.<table> MODIFY COLUMN <c> SET TAG ...
_COLUMN_TAG = re.compile(
    r"ALTER TABLE \w+\.(\w+)\.(\w+) MODIFY COLUMN (\w+) SET TAG \w+\.\w+\.(\w+) = '(\w+)'"
)


def _pii_columns_tagged_and_masked(
    args: StackValidationArgs, report: ReportViolation, config: Settings
) -> None:
    metadata = tag_values(args.resources, config["metadataTag"])
    pii = tag_values(args.resources, config["piiTag"])
    levels = columns_by_pii_level(metadata)
    for level in PROTECTED_LEVELS:
        for column in sorted(levels.get(level, ())):
            if pii.get(column) not in PROTECTED_LEVELS:
                report(
                    f"Column {column} is {level} PII but its {config['piiTag']} tag is {pii.get(column)!r}.",
                    None,
                )
    tags = [r for r in args.resources if r.resource_type == TAG and r.props.get("name") == config["piiTag"]]
    if (levels.get("high") or levels.get("sensitive")) and not tags:
        report(f"PII columns are declared but no {config['piiTag']} tag is.", None)
    for tag in tags:
        if not tag.props.get("maskingPolicies"):
            report(
                f"The {config['piiTag']} tag has no masking policies, so tagged PII is not masked.", tag.urn
            )
    _stream_pii_columns_tagged(args, report, config["piiTag"])


def _stream_pii_columns_tagged(args: StackValidationArgs, report: ReportViolation, pii_tag: str) -> None:
    """Each PII column a stream declares is tagged with its level, in each of its schemas, by its source's task."""
    bodies = {
        str(r.props.get("name")): str(r.props.get("sqlStatement") or "")
        for r in args.resources
        if r.resource_type == TASK
    }
    for component in (r for r in args.resources if r.resource_type == PII_TAGGING):
        for source, streams in (component.props.get("taggedStreams") or {}).items():
            task = Naming.pii_tagging_task(source)
            tagged = {
                (schema, table, column): level
                for schema, table, column, tag, level in _COLUMN_TAG.findall(bodies.get(task, ""))
                if tag == pii_tag
            }
            for stream in streams or []:
                table = str(stream.get("stream"))
                for schema in stream.get("schemas") or []:
                    for column, level in sorted((stream.get("piiColumns") or {}).items()):
                        found = tagged.get((schema, table, column))
                        if found != level:
                            report(
                                f"{source} stream {table} declares {column} {level} PII, but task {task} "
                                f"tags {schema}.{table}.{column} {pii_tag} {found!r}.",
                                component.urn,
                            )


def _no_unmasked_pii_to_app(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    app = config["appRole"]
    allowed = set(config["piiAllowedRoles"])
    if app in allowed:
        report(f"{app} is among the roles allowed to see PII unmasked.", None)
    graph = stack_access_graph(args.resources)
    reached = graph.roles_of(app) & allowed - {app}
    if reached:
        report(f"{app} inherits {sorted(reached)}, which see PII unmasked.", None)
    for policy in (r for r in args.resources if r.resource_type == MASKING_POLICY):
        exempt = _roles_named_in(str(policy.props.get("body", "")))
        if app in exempt:
            report(f"Masking policy {policy.props.get('name')} lets {app} see values unmasked.", policy.urn)
        for role in sorted(exempt - allowed - {app}):
            report(
                f"Masking policy {policy.props.get('name')} unmasks for {role}, not in piiAllowedRoles.",
                policy.urn,
            )


_CURRENT_ROLE_IN = re.compile(r"CURRENT_ROLE\(\)\s+IN\s*\(([^)]*)\)", re.IGNORECASE)
_ROLE_IN_SESSION = re.compile(r"IS_ROLE_IN_SESSION\(\s*'([^']+)'\s*\)", re.IGNORECASE)


def _roles_named_in(body: str) -> set[str]:
    """Role names a masking body exempts: `CURRENT_ROLE() IN (...)` lists and `IS_ROLE_IN_SESSION(...)`."""
    names = {match.upper() for match in _ROLE_IN_SESSION.findall(body)}
    for listed in _CURRENT_ROLE_IN.findall(body):
        names |= {unquote(item.strip().strip("'")).upper() for item in listed.split(",") if item.strip()}
    return names


PII_RULES = [
    stack_rule(
        "pii-columns-tagged-and-masked",
        "Every column whose metadata says high or sensitive carries PII_LEVEL, and that tag has masking policies; "
        "every PII column a stream declares is tagged by its source's PII tagging task.",
        Severity.CRITICAL,
        "Declare the column's PII level: a knowledge table's in catalog/foundational_tables.py or per "
        "stack in sophia-data-platform:piiOverrides, a stream's in "
        "sophia-data-platform:airbyte.sources.<SOURCE>.streams[].piiColumns; the Governance and PiiTagging "
        "components tag it and the tag masks it.",
        _pii_columns_tagged_and_masked,
        framework=cis("4.10", "Ensure that data masking is enabled for sensitive data"),
        settings={"metadataTag": (STRING, "SOPHIA_AI_METADATA"), "piiTag": (STRING, "PII_LEVEL")},
    ),
    stack_rule(
        "no-unmasked-pii-to-app",
        "The application role never sees high or sensitive PII unmasked.",
        Severity.CRITICAL,
        "Keep APP out of sophia-data-platform:piiAllowedRoles (no-unmasked-pii-to-app.piiAllowedRoles "
        "derives from it) and the application role out of every masking policy's exemptions.",
        _no_unmasked_pii_to_app,
        framework=cis("4.10", "Ensure that data masking is enabled for sensitive data"),
        settings={
            "appRole": (STRING, "SOPHIA_AI_APP_ROLE"),
            "piiAllowedRoles": (STRINGS, ["SOPHIA_AI_ADMIN_ROLE"]),
        },
    ),
]
