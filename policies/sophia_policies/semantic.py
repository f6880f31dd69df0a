"""Semantic-layer rules: only the application role queries the search service; every semantic view is tagged."""

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity, StackValidationArgs

from .rule import STRING, STRINGS, Settings, resource_rule, stack_rule
from .snowflake import GRANT_TO_ACCOUNT_ROLE, GRANT_TO_DATABASE_ROLE, VIEW, unquote
from .tags import metadata_problem, tag_values

_SEARCH_KINDS = {"CORTEX SEARCH SERVICE", "CORTEX SEARCH SERVICES"}


def _search_kinds(on: dict) -> set[str]:
    """The object types a schema-object grant reaches: one object, or all or future ones of a kind."""
    kinds = {str(on.get("objectType", "")).upper()}
    kinds |= {str((on.get(scope) or {}).get("objectTypePlural", "")).upper() for scope in ("all", "future")}
    return kinds & _SEARCH_KINDS


def _search_service_app_role_only(
    args: ResourceValidationArgs, report: ReportViolation, config: Settings
) -> None:
    on = args.props.get("onSchemaObject") or {}
    if not _search_kinds(on):
        return
    grantee = unquote(args.props.get("accountRoleName") or args.props.get("databaseRoleName") or "")
    bulk = bool(on.get("all") or on.get("future"))
    if grantee.upper() != config["appRole"].upper() or bulk:
        reach = "every Cortex Search service in a schema" if bulk else "a Cortex Search service"
        report(
            f"{args.name} grants {reach} to {grantee}; only {config['appRole']} may query it, one by one.",
            None,
        )


def _semantic_views_tagged(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    values = tag_values(args.resources, config["metadataTag"])
    for resource in args.resources:
        props = resource.props
        if resource.resource_type != VIEW or str(props.get("schema", "")).upper() != config["semanticSchema"]:
            continue
        identifier = f"{props.get('database')}.{props.get('schema')}.{props.get('name')}".upper()
        if identifier not in values:
            report(f"{identifier} has no {config['metadataTag']} tag.", resource.urn)
        elif problem := metadata_problem(values[identifier], config["requiredKeys"]):
            report(f"The {config['metadataTag']} tag on {identifier} {problem}.", resource.urn)


SEMANTIC_RULES = [
    resource_rule(
        "search-service-app-role-only",
        "Only the application role may query a Cortex Search service: USAGE granted to it, per service.",
        Severity.HIGH,
        "Grant USAGE on the service to the application role only, through the SemanticLayer component.",
        _search_service_app_role_only,
        types=(GRANT_TO_ACCOUNT_ROLE, GRANT_TO_DATABASE_ROLE),
        settings={"appRole": (STRING, "SOPHIA_AI_APP_ROLE")},
    ),
    stack_rule(
        "semantic-views-tagged",
        "Every view in the semantic schema carries a metadata tag, so discovery finds it from the tags alone.",
        Severity.MEDIUM,
        "Tag the view in the component that declares it, with its entity's metadata.",
        _semantic_views_tagged,
        settings={
            "metadataTag": (STRING, "SOPHIA_AI_METADATA"),
            "semanticSchema": (STRING, "SOPHIA_SEMANTIC"),
            "requiredKeys": (STRINGS, ["entity_type", "data_source", "update_frequency", "pii_level"]),
        },
    ),
]
