"""Each resource type's import id against the format its pulumi-snowflake docstring ("## Import") documents."""

from pathlib import Path
from typing import Any

import pulumi_snowflake
import pytest

from models.import_ids import IMPORT_IDS, TYPE_PREFIX, import_id
from tests.harness import run_stack

SDK = Path(pulumi_snowflake.__file__).parent
# Execute's documented id is '<random_uuid>' (execute.py): importing it adopts nothing, so it is not imported.
NOT_IMPORTED = {"execute:Execute"}
Q = '"<database_name>"."<schema_name>"'

# type -> (the SDK module whose docstring documents the id, the documented example, inputs that spell it out)
DOCSTRING_EXAMPLES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "warehouse:Warehouse": ("warehouse", '"<warehouse_name>"', {"name": "<warehouse_name>"}),
    "resourceMonitor:ResourceMonitor": ("resource_monitor", '"<resource_monitor_name>"', {"name": "<resource_monitor_name>"}),
    "database:Database": ("database", '"<database_name>"', {"name": "<database_name>"}),
    "accountRole:AccountRole": ("account_role", '"<account_role_name>"', {"name": "<account_role_name>"}),
    "serviceUser:ServiceUser": ("service_user", '"<user_name>"', {"name": "<user_name>"}),
    "networkPolicy:NetworkPolicy": ("network_policy", '"<network_policy_name>"', {"name": "<network_policy_name>"}),
    "schema:Schema": ("schema", Q, {"database": "<database_name>", "name": "<schema_name>"}),
    "databaseRole:DatabaseRole": (
        "database_role", '"<database_name>"."<database_role_name>"',
        {"database": "<database_name>", "name": "<database_role_name>"},
    ),
    "table:Table": (
        "table", "databaseName|schemaName|tableName",
        {"database": "databaseName", "schema": "schemaName", "name": "tableName"},
    ),
    "alert:Alert": ("alert", "dbName|schemaName|alertName", {"database": "dbName", "schema": "schemaName", "name": "alertName"}),
    "view:View": ("view", f'{Q}."<view_name>"', {"database": "<database_name>", "schema": "<schema_name>", "name": "<view_name>"}),
    "streamOnTable:StreamOnTable": (
        "stream_on_table", f'{Q}."<stream_name>"',
        {"database": "<database_name>", "schema": "<schema_name>", "name": "<stream_name>"},
    ),
    "task:Task": ("task", f'{Q}."<task_name>"', {"database": "<database_name>", "schema": "<schema_name>", "name": "<task_name>"}),
    "tag:Tag": ("tag", f'{Q}."<tag_name>"', {"database": "<database_name>", "schema": "<schema_name>", "name": "<tag_name>"}),
    "maskingPolicy:MaskingPolicy": (
        "masking_policy", f'{Q}."<masking_policy_name>"',
        {"database": "<database_name>", "schema": "<schema_name>", "name": "<masking_policy_name>"},
    ),
    "secretWithGenericString:SecretWithGenericString": (
        "secret_with_generic_string", f'{Q}."<secret_name>"',
        {"database": "<database_name>", "schema": "<schema_name>", "name": "<secret_name>"},
    ),
    "rowAccessPolicy:RowAccessPolicy": (
        "row_access_policy", f'{Q}."<row_access_policy_name>"',
        {"database": "<database_name>", "schema": "<schema_name>", "name": "<row_access_policy_name>"},
    ),
    "authenticationPolicy:AuthenticationPolicy": (
        "authentication_policy", f'{Q}."<authentication_policy_name>"',
        {"database": "<database_name>", "schema": "<schema_name>", "name": "<authentication_policy_name>"},
    ),
    "userAuthenticationPolicyAttachment:UserAuthenticationPolicyAttachment": (
        "user_authentication_policy_attachment", f'"<user_name>"|{Q}."<authentication_policy_name>"',
        {"userName": "<user_name>", "authenticationPolicyName": f'{Q}."<authentication_policy_name>"'},
    ),
    "cortexSearchService:CortexSearchService": (
        "cortex_search_service", "dbName|schemaName|fileFormatName",
        {"database": "dbName", "schema": "schemaName", "name": "fileFormatName"},
    ),
    "procedurePython:ProcedurePython": (
        "procedure_python", f'{Q}."<function_name>"(varchar, varchar, varchar)',
        {"database": "<database_name>", "schema": "<schema_name>", "name": "<function_name>",
         "arguments": [{"argName": n, "argDataType": "varchar"} for n in "abc"]},
    ),
    "tableConstraint:TableConstraint": (
        "table_constraint", "myconstraintfk❄️FOREIGN KEY❄️databaseName|schemaName|tableName",
        {"name": "myconstraintfk", "type": "FOREIGN KEY", "tableId": '"databaseName"."schemaName"."tableName"'},
    ),
    "tagAssociation:TagAssociation": (
        "tag_association", '"TAG_DATABASE"."TAG_SCHEMA"."TAG_NAME"|TAG_VALUE|OBJECT_TYPE',
        {"tagId": '"TAG_DATABASE"."TAG_SCHEMA"."TAG_NAME"', "tagValue": "TAG_VALUE", "objectType": "OBJECT_TYPE",
         "objectIdentifiers": ['"A"."B"']},
    ),
    "grantAccountRole:GrantAccountRole": (
        "grant_account_role", '"test_role"|ROLE|"test_parent_role"',
        {"roleName": "test_role", "parentRoleName": "test_parent_role"},
    ),
    "grantDatabaseRole:GrantDatabaseRole": (
        "grant_database_role", '"ABC"."test_db_role"|ROLE|"test_parent_role"',
        {"databaseRoleName": '"ABC"."test_db_role"', "parentRoleName": "test_parent_role"},
    ),
}  # fmt: skip

# pulumi-snowflake's grant_privileges_to_*_role docstrings have no Import section; the Terraform provider's
# docs/resources/grant_privileges_to_{account,database}_role.md "Import examples" are the documented ids.
GRANT_EXAMPLES: list[tuple[str, str, dict[str, Any]]] = [
    ("grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
     '"test_db_role"|false|false|ALL|OnAccountObject|DATABASE|"test_db"',
     {"accountRoleName": "test_db_role", "allPrivileges": True,
      "onAccountObject": {"objectType": "DATABASE", "objectName": "test_db"}}),
    ("grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
     '"test_db_role"|false|false|CREATE TAG,CREATE TABLE|OnSchema|OnAllSchemasInDatabase|"test_db"',
     {"accountRoleName": "test_db_role", "privileges": ["CREATE TAG", "CREATE TABLE"],
      "onSchema": {"allSchemasInDatabase": "test_db"}}),
    ("grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
     '"test_db_role"|false|false|SELECT,DELETE,INSERT|OnSchemaObject|OnObject|TABLE|"test_db"."test_schema"."test_table"',
     {"accountRoleName": "test_db_role", "privileges": ["SELECT", "DELETE", "INSERT"],
      "onSchemaObject": {"objectType": "TABLE", "objectName": '"test_db"."test_schema"."test_table"'}}),
    ("grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
     '"test_db_role"|false|false|SELECT,DELETE,INSERT|OnSchemaObject|OnAll|TABLES|InSchema|"test_db"."test_schema"',
     {"accountRoleName": "test_db_role", "privileges": ["SELECT", "DELETE", "INSERT"],
      "onSchemaObject": {"all": {"objectTypePlural": "TABLES", "inSchema": '"test_db"."test_schema"'}}}),
    ("grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole",
     '"test_db"."test_db_role"|false|false|ALL|OnDatabase|"test_db"',
     {"databaseRoleName": '"test_db"."test_db_role"', "allPrivileges": True, "onDatabase": "test_db"}),
    ("grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole",
     '"test_db"."test_db_role"|false|false|CREATE TAG,CREATE TABLE|OnSchema|OnAllSchemasInDatabase|"test_db"',
     {"databaseRoleName": '"test_db"."test_db_role"', "privileges": ["CREATE TAG", "CREATE TABLE"],
      "onSchema": {"allSchemasInDatabase": "test_db"}}),
    ("grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole",
     '"test_db"."test_db_role"|false|false|SELECT,DELETE,INSERT|OnSchemaObject|OnAll|TABLES|InSchema|"test_db"."test_schema"',
     {"databaseRoleName": '"test_db"."test_db_role"', "privileges": ["SELECT", "DELETE", "INSERT"],
      "onSchemaObject": {"all": {"objectTypePlural": "TABLES", "inSchema": '"test_db"."test_schema"'}}}),
]  # fmt: skip


@pytest.mark.parametrize("short", sorted(DOCSTRING_EXAMPLES))
def test_the_import_id_is_the_one_the_docstring_documents(short: str) -> None:
    module, example, inputs = DOCSTRING_EXAMPLES[short]
    docstring_text = (SDK / f"{module}.py").read_text()
    assert f"'{example}'" in docstring_text, f"{module}.py no longer documents {example}"
    assert import_id(TYPE_PREFIX + short, inputs) == example


@pytest.mark.parametrize(("short", "example", "inputs"), GRANT_EXAMPLES)
def test_privilege_grant_ids_follow_the_terraform_provider_docs(
    short: str, example: str, inputs: dict
) -> None:
    assert import_id(TYPE_PREFIX + short, inputs) == example


def test_a_grant_of_a_database_role_to_a_database_role_names_the_grantee_type() -> None:
    inputs = {"databaseRoleName": '"DB"."READ"', "parentDatabaseRoleName": '"DB"."WRITE"'}
    assert (
        import_id(TYPE_PREFIX + "grantDatabaseRole:GrantDatabaseRole", inputs)
        == '"DB"."READ"|DATABASE ROLE|"DB"."WRITE"'
    )


def test_a_role_granted_to_a_user_says_user() -> None:
    inputs = {"roleName": "ADMIN_ROLE", "userName": "DEPLOYER"}
    assert (
        import_id(TYPE_PREFIX + "grantAccountRole:GrantAccountRole", inputs) == '"ADMIN_ROLE"|USER|"DEPLOYER"'
    )


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_declared_type_has_a_documented_id_or_is_deliberately_not_imported(stack: str) -> None:
    declared = {
        r.type.removeprefix(TYPE_PREFIX)
        for r in run_stack(stack).registrations
        if r.type.startswith(TYPE_PREFIX)
    }
    tested = set(DOCSTRING_EXAMPLES) | {short for short, _, _ in GRANT_EXAMPLES}
    assert declared - NOT_IMPORTED <= tested
    assert set(IMPORT_IDS) == tested
    assert import_id(TYPE_PREFIX + "execute:Execute", {"execute": "SELECT 1"}) is None
