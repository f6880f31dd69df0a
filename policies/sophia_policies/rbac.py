"""RBAC rules: nothing to PUBLIC, no admin roles handed out, functional roles within their lanes."""

from fnmatch import fnmatchcase

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity, StackValidationArgs

from .once_per_stack import stack_access_graph
from .rule import STRING, STRINGS, Settings, cis, provider_role, resource_rule, stack_rule
from .snowflake import (
    ADMIN_ROLES,
    GRANT_ACCOUNT_ROLE,
    GRANT_DATABASE_ROLE,
    GRANT_OWNERSHIP,
    GRANT_TO_ACCOUNT_ROLE,
    PROCEDURES,
    SYSTEM_ROLES,
    TASK,
    USERS,
    identifier_parts,
)

WRITE_PRIVILEGES = frozenset(
    {"ALL", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "OWNERSHIP", "CREATE TABLE", "CREATE VIEW", "CREATE STAGE",
     "CREATE FILE FORMAT", "CREATE TASK", "CREATE STREAM", "CREATE PROCEDURE", "MODIFY"}
)  # fmt: skip
READ_PRIVILEGES = frozenset({"USAGE", "SELECT", "REFERENCES", "MONITOR", "READ"})
# The grant resources that give something to a role: what the grantee rules judge.
ROLE_GRANTS = (GRANT_TO_ACCOUNT_ROLE, GRANT_ACCOUNT_ROLE, GRANT_DATABASE_ROLE, GRANT_OWNERSHIP)


def _grantee_roles(args: ResourceValidationArgs) -> list[str]:
    """Every account role a grant resource gives something to."""
    props = args.props
    if args.resource_type == GRANT_TO_ACCOUNT_ROLE:
        return [props.get("accountRoleName", "")]
    if args.resource_type in (GRANT_ACCOUNT_ROLE, GRANT_DATABASE_ROLE):
        return [props.get("parentRoleName") or ""]
    if args.resource_type == GRANT_OWNERSHIP:
        return [props.get("accountRoleName") or ""]
    return []


def _no_grants_to_public(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if any(role.upper() == "PUBLIC" for role in _grantee_roles(args)):
        report(f"{args.name} grants to PUBLIC, which every user in the account holds.", None)


def _grants_only_to_allowed_roles(
    args: ResourceValidationArgs, report: ReportViolation, config: Settings
) -> None:
    for role in _grantee_roles(args):
        if (
            role
            and role not in SYSTEM_ROLES
            and not any(fnmatchcase(role, p) for p in config["allowedRoles"])
        ):
            report(
                f"{args.name} grants to {role}, which is not one of the allowed roles {config['allowedRoles']}.",
                None,
            )


def _no_admin_roles_to_custom_roles(
    args: ResourceValidationArgs, report: ReportViolation, _: Settings
) -> None:
    role = args.props.get("roleName", "")
    if role in ADMIN_ROLES:
        grantee = args.props.get("parentRoleName") or args.props.get("userName")
        report(
            f"{args.name} grants {role} to {grantee}; admin roles are never handed to custom roles or users.",
            None,
        )


def _no_admin_default_role(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if args.props.get("defaultRole", "").upper() in ADMIN_ROLES:
        report(f"{args.name} has default role {args.props['defaultRole']}.", None)


def _tasks_and_procedures_not_admin(
    args: ResourceValidationArgs, report: ReportViolation, _: Settings
) -> None:
    if args.resource_type in (TASK, *PROCEDURES) and provider_role(args) in ADMIN_ROLES:
        report(f"{args.name} would be owned by {provider_role(args)}, and so run with its privileges.", None)
    on = args.props.get("on") or {}
    if args.resource_type == GRANT_OWNERSHIP and args.props.get("accountRoleName") in ADMIN_ROLES:
        report(f"{args.name} hands ownership of {on.get('objectType', 'an object')} to an admin role.", None)


def _no_ownership_grant_inside_database(
    args: ResourceValidationArgs, report: ReportViolation, _: Settings
) -> None:
    on = args.props.get("on") or {}
    bulk = on.get("all") or on.get("future")
    if bulk:
        scope = bulk.get("inSchema") or bulk.get("inDatabase")
        target = (
            f"{'all' if on.get('all') else 'future'} {bulk.get('objectTypePlural', 'objects')} in {scope}"
        )
    elif len(identifier_parts(on.get("objectName", ""))) > 1:
        target = f"{on.get('objectType', 'object')} {on['objectName']}"
    else:
        return
    report(
        f"{args.name} transfers ownership of {target}, inside a database; the object's owner creates it instead.",
        None,
    )


def _role_lane(args: StackValidationArgs, report: ReportViolation, config: Settings, role_key: str) -> None:
    graph = stack_access_graph(args.resources)
    role = config[role_key]
    for schema, privileges in graph.effective_schema_privileges(role).items():
        name = schema.split(".")[-1]
        landing = (
            "a RAW schema"
            if fnmatchcase(name, config["rawSchemaPattern"])
            else "Airbyte's internal schema"  # Airbyte's own tables hold raw data too
            if name == config["airbyteInternalSchema"]
            else None
        )
        if role_key == "appRole" and (landing or privileges & WRITE_PRIVILEGES):
            reason = landing or f"write privileges {sorted(privileges & WRITE_PRIVILEGES)}"
            report(
                f"{role} reaches {schema} with {reason}; the application role is read-only, never RAW.", None
            )
        if role_key == "etlRole" and not landing:
            report(
                f"{role} reaches {schema}; the ETL role writes only RAW schemas and Airbyte's internal "
                "schema, and reads nothing else.",
                None,
            )
        elif role_key == "etlRole" and (beyond := privileges - set(config["loadPrivileges"])):
            report(
                f"{role} holds {sorted(beyond)} on {schema}; loading needs only {config['loadPrivileges']} "
                "(Airbyte owns the tables it creates).",
                None,
            )


# Where Airbyte writes: the RAW schemas it lands in and the schema of its own tables (`raw_data_schema`).
_LANDING_SCHEMAS = {
    "rawSchemaPattern": (STRING, "*_DATA_RAW"),
    "airbyteInternalSchema": (STRING, "AIRBYTE_INTERNAL"),
}

RBAC_RULES = [
    resource_rule(
        "no-grants-to-public",
        "Nothing is granted to PUBLIC.",
        Severity.CRITICAL,
        "Grant to a functional or access role instead of PUBLIC.",
        _no_grants_to_public,
        types=ROLE_GRANTS,
    ),
    resource_rule(
        "grants-only-to-allowed-roles",
        "Privileges and roles go only to the platform's own roles or Snowflake's system roles.",
        Severity.HIGH,
        "Grant to one of the stack's roles (those under sophia-data-platform:namePrefix), or list the role "
        "in grants-only-to-allowed-roles.allowedRoles in policies/config/<stack>.json, beside "
        "`<namePrefix>_*`, which that list replaces.",
        _grants_only_to_allowed_roles,
        types=ROLE_GRANTS,
        settings={"allowedRoles": (STRINGS, ["SOPHIA_AI_*"])},
    ),
    resource_rule(
        "no-admin-roles-to-custom-roles",
        "ACCOUNTADMIN and SECURITYADMIN are never granted to custom roles or users by the stack.",
        Severity.CRITICAL,
        "Remove the grant; give the custom role only the privileges it needs.",
        _no_admin_roles_to_custom_roles,
        types=(GRANT_ACCOUNT_ROLE,),
        framework=cis(
            "1.13", "Ensure ACCOUNTADMIN and SECURITYADMIN roles are not granted to any custom role"
        ),
    ),
    resource_rule(
        "no-admin-default-role",
        "No user has ACCOUNTADMIN or SECURITYADMIN as default role.",
        Severity.HIGH,
        "Set sophia-data-platform:serviceUsers.<USER>.functionalRole; the ServiceUsers component makes "
        "that role the user's default_role.",
        _no_admin_default_role,
        types=USERS,
        framework=cis("1.12", "Ensure no users have ACCOUNTADMIN or SECURITYADMIN as the default role"),
    ),
    resource_rule(
        "tasks-and-procedures-not-admin",
        "Tasks and stored procedures are never owned by, nor run as, ACCOUNTADMIN or SECURITYADMIN.",
        Severity.CRITICAL,
        "Create tasks and procedures through the provider that acts as the stack's ADMIN role.",
        _tasks_and_procedures_not_admin,
        types=(TASK, *PROCEDURES, GRANT_OWNERSHIP),
        framework=cis(
            "1.14-1.17", "Ensure tasks and stored procedures are not owned by or run as admin roles"
        ),
    ),
    resource_rule(
        "no-ownership-grant-inside-database",
        "No object inside a database changes owner by GRANT OWNERSHIP: the role that must own it creates it.",
        Severity.HIGH,
        "Create the object through the provider acting as its owner (the stack's ADMIN role) and drop the "
        "ownership grant: a started task cannot change owner, a deleted ownership grant hands the object to "
        "the provider's role, and a replaced view keeps every grant but OWNERSHIP.",
        _no_ownership_grant_inside_database,
        types=(GRANT_OWNERSHIP,),
    ),
    stack_rule(
        "app-role-read-only",
        "The application role only reads, and never reaches a RAW schema or Airbyte's internal schema.",
        Severity.CRITICAL,
        "Grant the application role the READ access role of curated and semantic schemas only, as "
        "models/access_matrix.py declares it.",
        lambda args, report, config: _role_lane(args, report, config, "appRole"),
        settings={"appRole": (STRING, "SOPHIA_AI_APP_ROLE"), **_LANDING_SCHEMAS},
    ),
    stack_rule(
        "etl-role-writes-only-raw",
        "The ETL role reaches only RAW schemas and Airbyte's internal schema, with only what loading needs.",
        Severity.HIGH,
        "Grant the ETL role the LOAD access role of RAW schemas and of Airbyte's internal schema only, as "
        "models/access_matrix.py declares it.",
        lambda args, report, config: _role_lane(args, report, config, "etlRole"),
        settings={
            "etlRole": (STRING, "SOPHIA_AI_ETL_ROLE"),
            # What Airbyte's Snowflake destination needs on a schema it lands in; it owns what it creates.
            "loadPrivileges": (STRINGS, ["USAGE", "CREATE TABLE", "CREATE STAGE", "CREATE FILE FORMAT"]),
            **_LANDING_SCHEMAS,
        },
    ),
]
