"""Credential rules: tokens expire within a limit and are role-restricted, sign-in methods are limited."""

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity, StackValidationArgs

from .rule import NUMBER, STRINGS, Settings, cis, resource_rule, stack_rule
from .snowflake import (
    AUTHENTICATION_POLICY,
    LEGACY_SERVICE_USER,
    SERVICE_USER,
    USER_AUTHENTICATION_POLICY_ATTACHMENT,
    USER_PAT,
    number,
    unquote,
)


def _pat_expiry_within_limit(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
    days, limit = number(args.props, "daysToExpiry"), float(config["maxTokenDays"])
    if days is None:
        report(f"{args.name} sets no daysToExpiry; every token expires, within {limit:g} days.", None)
    elif days > limit:
        report(f"{args.name} lives {days:g} days; the limit is {limit:g}.", None)


def _service_user_names(args: StackValidationArgs) -> dict[str, str]:
    return {
        str(r.props.get("name", "")): r.name
        for r in args.resources
        if r.resource_type in (SERVICE_USER, LEGACY_SERVICE_USER)
    }


def _pat_role_restricted(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    """Snowflake refuses a service user's token without ROLE_RESTRICTION (programmatic access tokens docs)."""
    services = _service_user_names(args)
    for token in (r for r in args.resources if r.resource_type == USER_PAT):
        if str(token.props.get("user", "")) in services and not token.props.get("roleRestriction"):
            report(
                f"{token.name} is a token of service user {token.props['user']} without roleRestriction.",
                token.urn,
            )


def _under_authentication_policy(
    args: StackValidationArgs, report: ReportViolation, config: Settings
) -> None:
    policies = {
        ".".join(
            unquote(p)
            for p in (r.props.get("database", ""), r.props.get("schema", ""), r.props.get("name", ""))
        ): r
        for r in args.resources
        if r.resource_type == AUTHENTICATION_POLICY
    }
    attached = {
        str(r.props.get("userName", "")): unquote(str(r.props.get("authenticationPolicyName", "")))
        for r in args.resources
        if r.resource_type == USER_AUTHENTICATION_POLICY_ATTACHMENT
    }
    tokens = {str(r.props.get("user", "")) for r in args.resources if r.resource_type == USER_PAT}
    for user, resource_name in _service_user_names(args).items():
        policy = policies.get(attached.get(user, ""))
        if policy is None:
            report(f"{resource_name} is not under an authentication policy the stack declares.", None)
            continue
        methods = {str(m).upper() for m in policy.props.get("authenticationMethods") or ["ALL"]}
        if extra := sorted(methods - set(config["allowedMethods"])):
            report(f"{resource_name}'s authentication policy {policy.name} allows {extra}.", policy.urn)
        if "PROGRAMMATIC_ACCESS_TOKEN" in methods and user not in tokens:
            report(
                f"{resource_name}'s policy {policy.name} allows tokens, but the stack declares none for it.",
                policy.urn,
            )


CREDENTIAL_RULES = [
    resource_rule(
        "pat-expiry-within-limit",
        "Every programmatic access token sets daysToExpiry, at most the configured maximum.",
        Severity.HIGH,
        "Lower sophia-data-platform:security.credentials.tokens.<USER>.daysToExpiry to "
        "pat-expiry-within-limit.maxTokenDays (policies/config/<stack>.json) or less.",
        _pat_expiry_within_limit,
        types=(USER_PAT,),
        settings={"maxTokenDays": (NUMBER, 90)},
    ),
    stack_rule(
        "pat-role-restricted-on-service-users",
        "A service user's programmatic access token is restricted to one role.",
        Severity.HIGH,
        "Set role_restriction on the token to the service user's functional role "
        "(sophia-data-platform:serviceUsers.<USER>.functionalRole).",
        _pat_role_restricted,
    ),
    stack_rule(
        "service-users-under-authentication-policy",
        "Every service user is under an authentication policy limited to the methods it uses.",
        Severity.HIGH,
        "Attach an authentication policy allowing KEYPAIR, and PROGRAMMATIC_ACCESS_TOKEN only with a token.",
        _under_authentication_policy,
        framework=cis("1.3", "Ensure service accounts use key pair authentication"),
        settings={"allowedMethods": (STRINGS, ["KEYPAIR", "PROGRAMMATIC_ACCESS_TOKEN"])},
    ),
]
