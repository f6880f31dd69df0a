"""PII rules: high and sensitive columns carry PII_LEVEL, the tag masks them, and APP never sees them clear."""

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .access_graph import build_access_graph
from .rule import STRING, STRINGS, Settings, cis, stack_rule
from .snowflake import MASKING_POLICY, TAG, unquote
from .tags import columns_by_pii_level, tag_values

PROTECTED_LEVELS = ("high", "sensitive")


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


def _no_unmasked_pii_to_app(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    app = config["appRole"]
    allowed = set(config["piiAllowedRoles"])
    if app in allowed:
        report(f"{app} is among the roles allowed to see PII unmasked.", None)
    graph = build_access_graph((r.resource_type, r.props) for r in args.resources)
    reached = graph.roles_of(app) & allowed - {app}
    if reached:
        report(f"{app} inherits {sorted(reached)}, which see PII unmasked.", None)
    for policy in (r for r in args.resources if r.resource_type == MASKING_POLICY):
        body = str(policy.props.get("body", ""))
        if f"'{app}'" in body or f'"{app}"' in body:
            report(f"Masking policy {policy.props.get('name')} lets {app} see values unmasked.", policy.urn)
        for role in sorted(_roles_named_in(body) - allowed):
            report(
                f"Masking policy {policy.props.get('name')} unmasks for {role}, not in piiAllowedRoles.",
                policy.urn,
            )


def _roles_named_in(body: str) -> set[str]:
    """Role names a masking body compares against: quoted identifiers inside role checks."""
    names = set()
    for fragment in body.split("IS_ROLE_IN_SESSION(")[1:]:
        names.add(unquote(fragment.split(")", 1)[0].strip().strip("'")))
    return names


PII_RULES = [
    stack_rule(
        "pii-columns-tagged-and-masked",
        "Every column whose metadata says high or sensitive carries PII_LEVEL, and that tag has masking policies.",
        Severity.CRITICAL,
        "Declare the column's PII level in the catalog; the Governance component tags it and the tag masks it.",
        _pii_columns_tagged_and_masked,
        framework=cis("4.10", "Ensure that data masking is enabled for sensitive data"),
        settings={"metadataTag": (STRING, "SOPHIA_AI_METADATA"), "piiTag": (STRING, "PII_LEVEL")},
    ),
    stack_rule(
        "no-unmasked-pii-to-app",
        "The application role never sees high or sensitive PII unmasked.",
        Severity.CRITICAL,
        "Keep the application role out of piiAllowedRoles and out of every masking policy's exemptions.",
        _no_unmasked_pii_to_app,
        framework=cis("4.10", "Ensure that data masking is enabled for sensitive data"),
        settings={
            "appRole": (STRING, "SOPHIA_AI_APP_ROLE"),
            "piiAllowedRoles": (STRINGS, ["SOPHIA_AI_ADMIN_ROLE"]),
        },
    ),
]
