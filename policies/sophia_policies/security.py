"""Security rules: ACCOUNTADMIN is used only for what Snowflake reserves to it."""

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity

from .rule import STRINGS, Settings, cis, provider_role, resource_rule
from .snowflake import EXECUTE, RESOURCE_MONITOR


def _accountadmin_only_where_required(
    args: ResourceValidationArgs, report: ReportViolation, config: Settings
) -> None:
    if provider_role(args) != "ACCOUNTADMIN":
        return
    allowed = args.resource_type in config["allowedTypes"]
    if args.resource_type == EXECUTE:
        allowed = "RESOURCE_MONITOR" in str(args.props.get("execute", "")).upper()
    if not allowed:
        report(
            f"{args.name} ({args.resource_type}) is managed as ACCOUNTADMIN; use a less privileged provider.",
            None,
        )


SECURITY_RULES = [
    resource_rule(
        "accountadmin-only-where-required",
        "No provider uses ACCOUNTADMIN except for resources Snowflake reserves to it.",
        Severity.CRITICAL,
        "Manage the resource through the SYSADMIN, USERADMIN or SECURITYADMIN provider.",
        _accountadmin_only_where_required,
        types=None,  # any resource may be managed through an ACCOUNTADMIN provider
        framework=cis("1.10", "Limit the use of ACCOUNTADMIN"),
        settings={"allowedTypes": (STRINGS, [RESOURCE_MONITOR])},
    ),
]
