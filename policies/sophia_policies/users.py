"""User rules: service users sign in by key pair or PAT only, and each sits under a network policy."""

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity, StackValidationArgs

from .rule import Settings, cis, resource_rule, stack_rule
from .snowflake import LEGACY_SERVICE_USER, NETWORK_POLICY_ATTACHMENT, SERVICE_USER, USER


def _key_pair_only(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if args.resource_type == USER and args.props.get("userType", "").upper() in ("SERVICE", "LEGACY_SERVICE"):
        report(f"{args.name} is a service account declared as a person; use snowflake.ServiceUser.", None)
    if args.resource_type not in (SERVICE_USER, LEGACY_SERVICE_USER):
        return
    if "password" in args.props:
        report(f"{args.name} has a password; service users authenticate by key pair or token only.", None)
    if args.resource_type == LEGACY_SERVICE_USER:
        report(f"{args.name} is a LEGACY_SERVICE user, which may sign in with a password.", None)
    if not args.props.get("rsaPublicKey"):
        report(f"{args.name} has no RSA public key, so it cannot sign in by key pair.", None)


def _under_own_network_policy(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    users = [r for r in args.resources if r.resource_type in (SERVICE_USER, LEGACY_SERVICE_USER)]
    # pulumi-snowflake: a NetworkPolicyAttachment on a user the stack manages "will result in improper
    # behavior" (docs/resources/service_user.md, MIGRATION_GUIDE.md); the user's own field is the way.
    attached = {
        str(user): resource.name
        for resource in args.resources
        if resource.resource_type == NETWORK_POLICY_ATTACHMENT
        for user in resource.props.get("users") or []
    }
    holders: dict[str, list[str]] = {}
    for user in users:
        policy = user.props.get("networkPolicy")
        if not policy:
            report(
                f"{user.name} is not under a network policy of its own (networkPolicy is unset).", user.urn
            )
        else:
            holders.setdefault(str(policy), []).append(user.name)
        if user.props.get("name") in attached:
            report(
                f"{user.name} is also attached to a policy by {attached[user.props['name']]}; "
                "set network_policy on the user instead.",
                user.urn,
            )
    for policy, names in holders.items():
        if len(names) > 1:
            report(f"Service users {sorted(names)} share network policy {policy}; each needs its own.", None)


USER_RULES = [
    resource_rule(
        "service-users-key-pair-only",
        "Service users have an RSA public key and no password.",
        Severity.HIGH,
        "Declare the user as snowflake.ServiceUser with rsa_public_key from "
        "sophia-data-platform:servicePublicKeys.<USER>; never set a password.",
        _key_pair_only,
        types=(USER, SERVICE_USER, LEGACY_SERVICE_USER),
        framework=cis("1.3, 1.6", "Ensure service accounts use key pair authentication and no password"),
    ),
    stack_rule(
        "service-users-under-network-policy",
        "Every service user carries a network policy of its own in its own networkPolicy field.",
        Severity.HIGH,
        "Declare a network policy with the service's egress IPs "
        "(sophia-data-platform:serviceUsers.<USER>.allowedIps) and set network_policy on the user to it, "
        "as the ServiceUsers component does.",
        _under_own_network_policy,
        framework=cis("3.2", "Ensure that user-level network policies are configured for service accounts"),
    ),
]
