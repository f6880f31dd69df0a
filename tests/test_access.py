"""RBAC proven from the plan: the declared grants give each functional role exactly what the matrix says."""

import pytest

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from models.access_matrix import ACCESS_MATRIX, PRIVILEGES, WAREHOUSE_USAGE, AccessLevel
from models.enums import FunctionalRole
from models.schema_layout import SchemaKind, schema_layout
from policies.sophia_policies.access_graph import AccessGraph, build_access_graph
from tests.harness import Plan

PREFIX = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI"}
DATABASE = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI_PROD"}
SOURCES = {"dev": ["GONG", "HUBSPOT", "SLACK"], "prod": ["GONG", "HUBSPOT", "SLACK", "NOTION", "SALESFORCE"]}
WRITE_PRIVILEGES = {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE TABLE", "CREATE VIEW", "CREATE STAGE"}
READ_PRIVILEGES = {"USAGE", "SELECT"}
VIEW = "snowflake:index/view:View"
SYSTEM_ROLES = {"ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", "PUBLIC", "ORGADMIN"}


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> tuple[str, Plan, AccessGraph]:
    plan = {"dev": dev_plan, "prod": prod_plan}[request.param]
    return request.param, plan, build_access_graph((r.type, r.raw_inputs) for r in plan.resources)


def _role(stack_name: str, role: FunctionalRole) -> str:
    return f"{PREFIX[stack_name]}_{role.value}_ROLE"


def test_each_functional_role_reaches_exactly_the_matrix(stack) -> None:
    name, _, graph = stack
    layout = schema_layout(SOURCES[name])
    for role, by_kind in ACCESS_MATRIX.items():
        reached = graph.effective_schema_privileges(_role(name, role))
        expected = {}
        for spec in layout:
            level = by_kind.get(spec.kind)
            if level is None:
                continue
            privileges = set(PRIVILEGES[AccessLevel.READ].schema + PRIVILEGES[AccessLevel.READ].tables)
            if level is AccessLevel.WRITE:
                privileges |= set(PRIVILEGES[level].schema + PRIVILEGES[level].tables)
            expected[f"{DATABASE[name]}.{spec.name}"] = privileges
        assert reached == expected, role


def test_app_never_reaches_raw_and_is_read_only(stack) -> None:
    name, _, graph = stack
    reached = graph.effective_schema_privileges(_role(name, FunctionalRole.APP))
    assert not [schema for schema in reached if schema.endswith("_DATA_RAW")]
    assert all(privileges <= READ_PRIVILEGES for privileges in reached.values())
    assert {f"{DATABASE[name]}.{s}_DATA" for s in SOURCES[name]} <= set(reached)


def test_etl_writes_only_raw_and_reads_nothing_curated(stack) -> None:
    name, _, graph = stack
    reached = graph.effective_schema_privileges(_role(name, FunctionalRole.ETL))
    assert set(reached) == {f"{DATABASE[name]}.{s}_DATA_RAW" for s in SOURCES[name]}
    for privileges in reached.values():
        assert {"CREATE TABLE", "CREATE STAGE", "INSERT"} <= privileges
    assert graph.effective_warehouses(_role(name, FunctionalRole.ETL)) == {f"{PREFIX[name]}_ETL_WH"}


def test_warehouse_usage_per_role(stack) -> None:
    name, _, graph = stack
    for role, purposes in WAREHOUSE_USAGE.items():
        expected = {f"{PREFIX[name]}_{p.value}_WH" for p in purposes}
        assert graph.effective_warehouses(_role(name, role)) == expected


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


def test_admin_owns_database_schemas_and_knowledge_objects_with_grants_copied(stack) -> None:
    name, plan, graph = stack
    admin = _role(name, FunctionalRole.ADMIN)
    database = DATABASE[name]
    expected = {database} | {f"{database}.{spec.name}" for spec in schema_layout(SOURCES[name])}
    for table in FOUNDATIONAL_CATALOG.tables:
        for obj in (table.name, table.embeddings_table_name, table.stream_name, table.task_name):
            expected.add(f"{database}.FOUNDATIONAL_KNOWLEDGE.{obj}")
    expected |= {f"{database}.{v.inputs['schema']}.{v.inputs['name']}" for v in plan.of_type(VIEW)}
    assert set(graph.owners) == expected
    assert set(graph.owners.values()) == {admin}
    for grant in plan.of_type("snowflake:index/grantOwnership:GrantOwnership"):
        assert grant.inputs["outbound_privileges"] == "COPY"
        assert grant.provider_role == "SECURITYADMIN"
        rollup = [plan.by_urn(urn) for urn in grant.dependencies]
        assert any(r.type.endswith("GrantAccountRole") and r.inputs["role_name"] == admin for r in rollup)


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
