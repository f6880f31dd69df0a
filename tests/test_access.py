"""RBAC proven from the plan: the declared grants give each functional role exactly what the matrix says."""

import pytest

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from models.access_matrix import (
    ACCESS_MATRIX,
    GATE_OPERATOR_ROLE,
    PRIVILEGES,
    WAREHOUSE_USAGE,
    AccessLevel,
    access_levels,
)
from models.enums import FunctionalRole
from models.naming import KNOWLEDGE_SCHEMA
from models.schema_layout import SchemaKind, schema_layout
from policies.sophia_policies.access_graph import AccessGraph, build_access_graph
from tests.access_graph import effective_warehouses
from tests.harness import Plan

PREFIX = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI"}
DATABASE = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI_PROD"}
SOURCES = {"dev": ["GONG", "HUBSPOT", "SLACK"], "prod": ["GONG", "HUBSPOT", "SLACK", "NOTION", "SALESFORCE"]}
WRITE_PRIVILEGES = {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE TABLE", "CREATE VIEW", "CREATE STAGE"}
READ_PRIVILEGES = {"USAGE", "SELECT"}
VIEW = "snowflake:index/view:View"
SCHEMA = "snowflake:index/schema:Schema"
DATABASE_ROLE = "snowflake:index/databaseRole:DatabaseRole"
ACCOUNT_ROLE = "snowflake:index/accountRole:AccountRole"
GRANT_ROLE = "snowflake:index/grantAccountRole:GrantAccountRole"
GRANT_TO_ROLE = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
PROVIDER = "pulumi:providers:snowflake"
# Objects that live in a schema, with `database`, `schema` and `name` inputs.
SCHEMA_OBJECTS = {
    "snowflake:index/table:Table",
    "snowflake:index/streamOnTable:StreamOnTable",
    "snowflake:index/task:Task",
    VIEW,
    "snowflake:index/tag:Tag",
    "snowflake:index/maskingPolicy:MaskingPolicy",
}
SYSTEM_ROLES = {"ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", "PUBLIC", "ORGADMIN"}


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> tuple[str, Plan, AccessGraph]:
    plan = {"dev": dev_plan, "prod": prod_plan}[request.param]
    return request.param, plan, build_access_graph((r.type, r.raw_inputs) for r in plan.resources)


def _role(stack_name: str, role: FunctionalRole) -> str:
    return f"{PREFIX[stack_name]}_{role.value}_ROLE"


def _schema_privileges(level: AccessLevel) -> set[str]:
    """What a level holds on a schema and the objects in it, with what the levels it includes hold."""
    privileges = PRIVILEGES[level]
    held = set(privileges.schema + privileges.tables + privileges.views)
    return held | (_schema_privileges(privileges.includes) if privileges.includes else set())


def test_each_functional_role_reaches_exactly_the_matrix(stack) -> None:
    name, _, graph = stack
    layout = schema_layout(SOURCES[name])
    for role, by_kind in ACCESS_MATRIX.items():
        if role is GATE_OPERATOR_ROLE:
            continue  # reaches the gate tasks' schema by direct grants alone: tests/test_receiver_triggers.py
        reached = graph.effective_schema_privileges(_role(name, role))
        expected = {
            f"{DATABASE[name]}.{spec.name}": _schema_privileges(by_kind[spec.kind])
            for spec in layout
            if spec.kind in by_kind
        }
        assert reached == expected, role


def test_app_never_reaches_raw_and_is_read_only(stack) -> None:
    name, _, graph = stack
    reached = graph.effective_schema_privileges(_role(name, FunctionalRole.APP))
    assert not [schema for schema in reached if schema.endswith("_DATA_RAW")]
    assert all(privileges <= READ_PRIVILEGES for privileges in reached.values())
    assert {f"{DATABASE[name]}.{s}_DATA" for s in SOURCES[name]} <= set(reached)


def test_etl_holds_only_what_loading_needs_and_only_where_airbyte_lands(stack) -> None:
    """Airbyte's destination creates its tables, stages and CSV format, and owns them; it needs no CREATE VIEW."""
    name, _, graph = stack
    etl = _role(name, FunctionalRole.ETL)
    reached = graph.effective_schema_privileges(etl)
    assert set(reached) == {f"{DATABASE[name]}.{s}_DATA_RAW" for s in SOURCES[name]} | {
        f"{DATABASE[name]}.AIRBYTE_INTERNAL"
    }
    for privileges in reached.values():
        assert privileges == {"USAGE", "CREATE TABLE", "CREATE STAGE", "CREATE FILE FORMAT"}
    database_usage = {r for r in graph.roles_of(etl) if "USAGE" in graph.database_privileges.get(r, set())}
    assert database_usage and all(role.endswith("_LOAD") for role in database_usage)
    assert effective_warehouses(graph, etl) == {f"{PREFIX[name]}_ETL_WH"}


def test_load_access_roles_exist_only_where_a_role_loads(stack) -> None:
    name, plan, _ = stack
    roles = {r.inputs["name"] for r in plan.of_type(DATABASE_ROLE)}
    expected = {
        f"{spec.name}_{level.value}"
        for spec in schema_layout(SOURCES[name])
        for level in access_levels(spec.kind)
    }
    assert roles == expected
    assert {role for role in roles if role.endswith("_LOAD")} == {
        f"{s}_DATA_RAW_LOAD" for s in SOURCES[name]
    } | {"AIRBYTE_INTERNAL_LOAD"}


def test_warehouse_usage_per_role(stack) -> None:
    name, _, graph = stack
    for role, purposes in WAREHOUSE_USAGE.items():
        expected = {f"{PREFIX[name]}_{p.value}_WH" for p in purposes}
        assert effective_warehouses(graph, _role(name, role)) == expected


def test_functional_roles_roll_up_to_sysadmin(stack) -> None:
    name, _, graph = stack
    for role in FunctionalRole:
        assert graph.role_parents[_role(name, role)] == {"SYSADMIN"}


def test_nothing_is_granted_to_public(stack) -> None:
    _, plan, graph = stack
    assert "PUBLIC" not in graph.role_children
    assert "PUBLIC" not in graph.warehouse_usage
    for resource in plan.resources:
        if resource.type.startswith("snowflake:index/grant"):
            assert "PUBLIC" not in str(resource.inputs), resource.name


def test_no_admin_system_role_is_granted_to_a_custom_role_or_user(stack) -> None:
    _, _, graph = stack
    for child in ("ACCOUNTADMIN", "SECURITYADMIN"):
        assert not graph.role_parents.get(child)
    assert not any({"ACCOUNTADMIN", "SECURITYADMIN"} & roles for roles in graph.user_roles.values())


def test_nothing_is_handed_over_by_an_ownership_grant(any_plan: Plan) -> None:
    assert any_plan.of_type("snowflake:index/grantOwnership:GrantOwnership") == []


def test_admin_creates_every_object_inside_the_database_and_sysadmin_the_database(stack) -> None:
    name, plan, _ = stack
    database = DATABASE[name]
    created = {
        f"{database}.{r.inputs['schema']}.{r.inputs['name']}": r
        for r in plan.resources
        if r.type in SCHEMA_OBJECTS
    }
    created |= {f"{database}.{r.inputs['name']}": r for r in plan.of_type(SCHEMA)}
    created |= {f"{database}.{r.inputs['name']}": r for r in plan.of_type(DATABASE_ROLE)}
    expected = {f"{database}.{spec.name}" for spec in schema_layout(SOURCES[name])}
    for table in FOUNDATIONAL_CATALOG.tables:
        for obj in (table.name, table.embeddings_table_name, table.stream_name, table.task_name):
            expected.add(f"{database}.{KNOWLEDGE_SCHEMA}.{obj}")
    expected |= {f"{database}.{v.inputs['schema']}.{v.inputs['name']}" for v in plan.of_type(VIEW)}
    assert expected <= set(created)
    assert {r.provider_role for r in created.values()} == {_role(name, FunctionalRole.ADMIN)}
    constraints = plan.of_type("snowflake:index/tableConstraint:TableConstraint")
    assert constraints and {c.provider_role for c in constraints} == {_role(name, FunctionalRole.ADMIN)}
    (created_database,) = plan.of_type("snowflake:index/database:Database")
    assert created_database.provider_role == "SYSADMIN"


def test_admin_holds_its_privileges_before_it_creates_anything(stack) -> None:
    name, plan, _ = stack
    admin = _role(name, FunctionalRole.ADMIN)
    (provider,) = [p for p in plan.of_type(PROVIDER) if p.inputs["role"] == admin]
    (role,) = [r for r in plan.of_type(ACCOUNT_ROLE) if r.inputs["name"] == admin]
    (to_deployer,) = [
        g for g in plan.of_type(GRANT_ROLE) if g.inputs.get("user_name") and g.inputs["role_name"] == admin
    ]
    assert to_deployer.inputs["user_name"] == "OFFLINE_DEPLOYER"
    usage = _usage_grant(plan, admin, provider.inputs["warehouse"])
    assert {role.urn, to_deployer.urn, usage.urn} <= set(provider.dependencies)
    (on_database,) = [
        g
        for g in plan.of_type(GRANT_TO_ROLE)
        if g.inputs.get("on_account_object", {}).get("object_type") == "DATABASE"
        and g.inputs["account_role_name"] == admin
    ]
    assert set(on_database.inputs["privileges"]) == {"USAGE", "CREATE SCHEMA", "CREATE DATABASE ROLE"}
    assert on_database.inputs["on_account_object"]["object_name"] == DATABASE[name]
    for created in plan.of_type(SCHEMA) + plan.of_type(DATABASE_ROLE):
        assert created.provider.startswith(provider.urn)
        assert on_database.urn in created.dependencies, created.name


def test_tasks_wait_for_execute_task_and_their_compute(stack) -> None:
    name, plan, _ = stack
    admin = _role(name, FunctionalRole.ADMIN)
    on_account = [g for g in plan.of_type(GRANT_TO_ROLE) if g.inputs.get("on_account")]
    assert {g.inputs["account_role_name"] for g in on_account} == {admin}
    (execute_task,) = [g for g in on_account if "EXECUTE TASK" in g.inputs["privileges"]]
    assert set(execute_task.inputs["privileges"]) == {"EXECUTE TASK", "APPLY MASKING POLICY"}
    (managed,) = [g for g in on_account if "EXECUTE MANAGED TASK" in g.inputs["privileges"]]
    tasks = plan.of_type("snowflake:index/task:Task")
    assert tasks
    for task in tasks:
        assert task.provider_role == admin
        # A task with a warehouse needs USAGE on it; a serverless one, EXECUTE MANAGED TASK (CREATE TASK).
        compute = (
            _usage_grant(plan, admin, task.inputs["warehouse"]) if "warehouse" in task.inputs else managed
        )
        assert {execute_task.urn, compute.urn} <= set(task.dependencies), task.name


def _usage_grant(plan: Plan, role: str, warehouse: str):
    (grant,) = [
        g
        for g in plan.of_type(GRANT_TO_ROLE)
        if g.inputs["account_role_name"] == role
        and g.inputs.get("on_account_object") == {"object_type": "WAREHOUSE", "object_name": warehouse}
    ]
    assert grant.inputs["privileges"] == ["USAGE"]
    return grant


def test_every_schema_has_read_and_write_access_roles_with_future_grants(stack) -> None:
    name, plan, _ = stack
    roles = {r.inputs["name"] for r in plan.of_type("snowflake:index/databaseRole:DatabaseRole")}
    for spec in schema_layout(SOURCES[name]):
        assert {f"{spec.name}_READ", f"{spec.name}_WRITE"} <= roles
        future = [
            r
            for r in plan.of_type(
                "snowflake:index/grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole"
            )
            if "future" in r.inputs.get("on_schema_object", {})
            and r.inputs["on_schema_object"]["future"]["in_schema"] == f'"{DATABASE[name]}"."{spec.name}"'
        ]
        kinds = {
            (
                r.inputs["database_role_name"].split(".")[-1],
                r.inputs["on_schema_object"]["future"]["object_type_plural"],
            )
            for r in future
        }
        assert kinds == {
            (f'"{spec.name}_READ"', "TABLES"),
            (f'"{spec.name}_READ"', "VIEWS"),
            (f'"{spec.name}_WRITE"', "TABLES"),
        }


def test_write_includes_read(stack) -> None:
    name, _, graph = stack
    for spec in schema_layout(SOURCES[name]):
        write = f"{DATABASE[name]}.{spec.name}_WRITE"
        assert f"{DATABASE[name]}.{spec.name}_READ" in graph.roles_of(write)


def test_raw_is_writable_only_by_etl_and_admin(stack) -> None:
    name, _, graph = stack
    for role in FunctionalRole:
        reached = graph.effective_schema_privileges(_role(name, role))
        raw_writes = {s for s, p in reached.items() if s.endswith("_DATA_RAW") and p & WRITE_PRIVILEGES}
        if role in (FunctionalRole.ETL, FunctionalRole.ADMIN):
            assert len(raw_writes) == len(SOURCES[name])
        else:
            assert raw_writes == set()


def test_matrix_covers_every_schema_kind_for_admin() -> None:
    assert set(ACCESS_MATRIX[FunctionalRole.ADMIN]) == set(SchemaKind)
