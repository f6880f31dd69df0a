"""Pulumi import ids, exactly as each pulumi-snowflake resource's docstring ("## Import") documents them."""

from collections.abc import Callable, Mapping
from typing import Any

TYPE_PREFIX = "snowflake:index/"
Inputs = Mapping[str, Any]


def quoted(*parts: str) -> str:
    """`"DB"."SCHEMA"."NAME"`: every part quoted, the fully qualified form the docstrings ask for."""
    return ".".join(f'"{part.strip(chr(34))}"' for part in parts)


def unquoted(qualified: str) -> list[str]:
    """The parts of `"DB"."S"."N"` or `DB.S.N`, without their quotes."""
    return [part.strip('"') for part in qualified.split('"."')] if '"' in qualified else qualified.split(".")


def _account_object(inputs: Inputs) -> str:
    return quoted(inputs["name"])


def _database_object(inputs: Inputs) -> str:
    return quoted(inputs["database"], inputs["name"])


def _schema_object(inputs: Inputs) -> str:
    return quoted(inputs["database"], inputs["schema"], inputs["name"])


def _piped(inputs: Inputs) -> str:
    # table.py and alert.py document the unquoted form: 'databaseName|schemaName|tableName'.
    return f"{inputs['database']}|{inputs['schema']}|{inputs['name']}"


def _procedure(inputs: Inputs) -> str:
    # procedure_python.py: '"<database_name>"."<schema_name>"."<function_name>"(varchar, varchar, varchar)'
    types = ", ".join(argument["argDataType"] for argument in inputs.get("arguments", []))
    return f"{_schema_object(inputs)}({types})"


def _table_constraint(inputs: Inputs) -> str:
    # table_constraint.py: 'myconstraintfk❄️FOREIGN KEY❄️databaseName|schemaName|tableName'
    return f"{inputs['name']}❄️{inputs['type']}❄️{'|'.join(unquoted(inputs['tableId']))}"


def _tag_association(inputs: Inputs) -> str:
    # tag_association.py: '"TAG_DATABASE"."TAG_SCHEMA"."TAG_NAME"|TAG_VALUE|OBJECT_TYPE'
    return f"{quoted(*unquoted(inputs['tagId']))}|{inputs['tagValue']}|{inputs['objectType']}"


def _grant_account_role(inputs: Inputs) -> str:
    # grant_account_role.py: role_name | grantee_object_type (ROLE|USER) | grantee_name
    grantee = (
        ("ROLE", inputs["parentRoleName"]) if inputs.get("parentRoleName") else ("USER", inputs["userName"])
    )
    return f"{quoted(inputs['roleName'])}|{grantee[0]}|{quoted(grantee[1])}"


def _user_authentication_policy(inputs: Inputs) -> str:
    # user_authentication_policy_attachment.py: '"<user_name>"|"<database_name>"."<schema_name>"."<policy_name>"'
    return f"{quoted(inputs['userName'])}|{quoted(*unquoted(inputs['authenticationPolicyName']))}"


def _grant_database_role(inputs: Inputs) -> str:
    # grant_database_role.py: database_role_name | object_type (ROLE|DATABASE ROLE|SHARE) | grantee_name
    role = quoted(*unquoted(inputs["databaseRoleName"]))
    if inputs.get("parentDatabaseRoleName"):
        return f"{role}|DATABASE ROLE|{quoted(*unquoted(inputs['parentDatabaseRoleName']))}"
    return f"{role}|ROLE|{quoted(inputs['parentRoleName'])}"


def _grant_target(inputs: Inputs) -> str:
    """The `<grant_type>|<grant_data>` tail of a privileges grant's id (Terraform provider docs, Import)."""
    if inputs.get("onAccount"):
        return "OnAccount"
    if on := inputs.get("onAccountObject"):
        return f"OnAccountObject|{on['objectType']}|{quoted(on['objectName'])}"
    if on := inputs.get("onDatabase"):
        return f"OnDatabase|{quoted(on)}"
    if on := inputs.get("onSchema"):
        for field, grant_type in (
            ("schemaName", "OnSchema"),
            ("allSchemasInDatabase", "OnAllSchemasInDatabase"),
            ("futureSchemasInDatabase", "OnFutureSchemasInDatabase"),
        ):
            if on.get(field):
                return f"OnSchema|{grant_type}|{quoted(*unquoted(on[field]))}"
    on = inputs["onSchemaObject"]
    if on.get("objectName"):
        return f"OnSchemaObject|OnObject|{on['objectType']}|{quoted(*unquoted(on['objectName']))}"
    scope, bulk = ("OnAll", on["all"]) if on.get("all") else ("OnFuture", on["future"])
    where = ("InSchema", bulk["inSchema"]) if bulk.get("inSchema") else ("InDatabase", bulk["inDatabase"])
    return f"OnSchemaObject|{scope}|{bulk['objectTypePlural']}|{where[0]}|{quoted(*unquoted(where[1]))}"


def _grant_privileges(role_key: str) -> Callable[[Inputs], str]:
    # grant_privileges_to_{account,database}_role: the pulumi docstrings have no Import section; the
    # Terraform provider's docs/resources pages do: "<role>|<with_grant_option>|<always_apply>|<privileges>|...".
    def import_id(inputs: Inputs) -> str:
        privileges = "ALL" if inputs.get("allPrivileges") else ",".join(inputs["privileges"])
        flags = "|".join(str(bool(inputs.get(flag))).lower() for flag in ("withGrantOption", "alwaysApply"))
        return f"{quoted(*unquoted(inputs[role_key]))}|{flags}|{privileges}|{_grant_target(inputs)}"

    return import_id


# Resource type (after snowflake:index/) -> its import id. Execute is left out on purpose: its documented
# id is '<random_uuid>', a fresh record that adopts nothing (see docs/adopting.md).
IMPORT_IDS: dict[str, Callable[[Inputs], str]] = {
    "warehouse:Warehouse": _account_object,
    "resourceMonitor:ResourceMonitor": _account_object,
    "database:Database": _account_object,
    "accountRole:AccountRole": _account_object,
    "serviceUser:ServiceUser": _account_object,
    "networkPolicy:NetworkPolicy": _account_object,
    "schema:Schema": _database_object,
    "databaseRole:DatabaseRole": _database_object,
    "table:Table": _piped,
    "alert:Alert": _piped,
    "view:View": _schema_object,
    "streamOnTable:StreamOnTable": _schema_object,
    "task:Task": _schema_object,
    "tag:Tag": _schema_object,
    "maskingPolicy:MaskingPolicy": _schema_object,
    "secretWithGenericString:SecretWithGenericString": _schema_object,
    "rowAccessPolicy:RowAccessPolicy": _schema_object,
    "authenticationPolicy:AuthenticationPolicy": _schema_object,
    "userAuthenticationPolicyAttachment:UserAuthenticationPolicyAttachment": _user_authentication_policy,
    # cortex_search_service.py documents the piped form: 'dbName|schemaName|fileFormatName'.
    "cortexSearchService:CortexSearchService": _piped,
    "procedurePython:ProcedurePython": _procedure,
    "tableConstraint:TableConstraint": _table_constraint,
    "tagAssociation:TagAssociation": _tag_association,
    "grantAccountRole:GrantAccountRole": _grant_account_role,
    "grantDatabaseRole:GrantDatabaseRole": _grant_database_role,
    "grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole": _grant_privileges("accountRoleName"),
    "grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole": _grant_privileges("databaseRoleName"),
}


def short_type(resource_type: str) -> str:
    """`snowflake:index/warehouse:Warehouse` -> `warehouse:Warehouse`."""
    return resource_type.removeprefix(TYPE_PREFIX)


def import_id(resource_type: str, inputs: Inputs) -> str | None:
    """The id `pulumi import` takes for this resource, or None for a type that cannot be imported."""
    compute = IMPORT_IDS.get(short_type(resource_type))
    return compute(inputs) if compute else None
