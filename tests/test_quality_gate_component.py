"""The data-quality gate as the stacks declare it: what runs it, on what, owned by whom, after what, reading what."""

import json
from pathlib import Path

import pytest

from catalog.quality_gate.objects import held_batches_view
from catalog.quality_gate.procedures import decide_procedure, gate_procedure, gate_task_statement
from catalog.quality_gate.tables import GATE_TABLES
from models.enums import FunctionalRole
from models.naming import Naming
from models.quality_gate import GateSettings
from offline.stack_files import load_stack_files
from policies.sophia_policies.access_graph import build_access_graph
from stack.airbyte.config import AirbyteSourceConfig
from stack.loader import load_stack_config
from tests.harness import PROJECT_DIR, Plan
from tests.quality_gate_plan import (
    CONSTRAINT,
    GATE,
    GRANT_TO_DATABASE_ROLE,
    GRANT_TO_ROLE,
    NAMING,
    PROCEDURE,
    SOURCES,
    TABLE,
    TAG_ASSOCIATION,
    TASK,
    VIEW,
    account_grant,
    gate_objects,
    gate_owner,
    gate_resources,
)

NS = "sophia-data-platform:"


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> tuple[str, Plan]:
    return request.param, {"dev": dev_plan, "prod": prod_plan}[request.param]


def test_every_source_has_a_gate_procedure_owned_by_the_owner_with_the_rendered_body(stack) -> None:
    name, plan = stack
    procedures = {p.inputs["name"]: p for p in gate_resources(plan, PROCEDURE)}
    assert sorted(procedures) == sorted(
        [*(Naming.quality_gate_procedure(s) for s in SOURCES[name]), "DECIDE_HELD_BATCH"]
    )
    for source in SOURCES[name]:
        procedure = procedures[Naming.quality_gate_procedure(source)]
        streams = _promoted(name, source)
        spec = gate_procedure(gate_objects(name), source, streams, _gate_settings(name))
        assert procedure.provider_role == gate_owner(name)
        assert procedure.inputs["procedure_definition"] == spec.body
        assert (procedure.inputs["execute_as"], procedure.inputs["handler"]) == ("OWNER", "main")
        assert procedure.inputs["runtime_version"] == "3.11"
        assert (procedure.inputs["schema"], procedure.inputs["return_type"]) == ("SOPHIA_OPS", "VARIANT")
    decide = procedures["DECIDE_HELD_BATCH"]
    spec = decide_procedure(gate_objects(name))
    assert decide.inputs["procedure_definition"] == spec.body and decide.inputs["execute_as"] == "CALLER"
    arguments = [a["arg_name"] for a in decide.inputs["arguments"]]
    assert arguments == ["SOURCE", "STREAM", "BATCH_ID", "DECISION", "REASON"]


def _gate_settings(name: str) -> GateSettings:
    """The stack file's settings of the gate's own checks."""
    files = load_stack_files(PROJECT_DIR, name)
    config = load_stack_config(files.project, files.values, files.secret_keys)
    return config.quality_gate.settings()


def _promoted(name: str, source: str) -> list:
    """The stack file's promoted streams of a source, as the gate renders them."""
    files = load_stack_files(PROJECT_DIR, name)
    config = load_stack_config(files.project, files.values, files.secret_keys)
    spec: AirbyteSourceConfig = config.airbyte.sources[source]
    return spec.promoted_streams(source)


def test_every_source_has_a_started_serverless_task_after_the_sync_that_times_out_when_it_settles(
    stack,
) -> None:
    name, plan = stack
    tasks = {t.inputs["name"]: t for t in gate_resources(plan, TASK)}
    assert sorted(tasks) == sorted(Naming.quality_gate_task(s) for s in SOURCES[name])
    procedures = {p.inputs["name"]: p for p in gate_resources(plan, PROCEDURE)}
    execute_task, managed = account_grant(plan, "EXECUTE TASK"), account_grant(plan, "EXECUTE MANAGED TASK")
    owner_access = {
        g.urn
        for g in plan.resources
        if g.type.endswith("GrantDatabaseRole")
        and g.inputs.get("parent_role_name") == gate_owner(name)
        # The stack's access roles; SNOWFLAKE's own database roles (the discovery view's) are no data access.
        and g.inputs["database_role_name"].startswith(f'"{NAMING[name].database}".')
    }
    for source in SOURCES[name]:
        task = tasks[Naming.quality_gate_task(source)]
        assert task.provider_role == gate_owner(name)
        assert task.inputs["schema"] == "SOPHIA_OPS"
        assert task.inputs["sql_statement"] == gate_task_statement(gate_objects(name), source)
        assert (
            task.inputs["sql_statement"] == f"CALL {NAMING[name].database}.SOPHIA_OPS.QUALITY_GATE_{source}()"
        )
        assert task.inputs["schedule"] == {"using_cron": "30 * * * * UTC"}  # Airbyte syncs at minute 0
        assert task.inputs["user_task_timeout_ms"] == 15 * 60_000  # settleMinutes
        assert task.inputs["started"] is True and task.inputs["allow_overlapping_execution"] == "false"
        assert (
            "warehouse" not in task.inputs
            and task.inputs["user_task_managed_initial_warehouse_size"] == "XSMALL"
        )
        waits = set(task.dependencies)
        assert {procedures[Naming.quality_gate_procedure(source)].urn, execute_task.urn, managed.urn} <= waits
        assert owner_access and owner_access <= waits  # reads RAW, writes curated from the first run


def test_the_gate_can_run_on_the_etl_warehouse_instead(planner) -> None:
    plan = planner("dev", {"qualityGate.warehouse": "ETL"})
    usage = next(
        g
        for g in plan.of_type(GRANT_TO_ROLE)
        if g.inputs.get("account_role_name") == gate_owner("dev")
        and g.inputs.get("on_account_object")
        == {"object_type": "WAREHOUSE", "object_name": "SOPHIA_AI_DEV_ETL_WH"}
    )
    for task in gate_resources(plan, TASK):
        assert task.inputs["warehouse"] == "SOPHIA_AI_DEV_ETL_WH"
        assert "user_task_managed_initial_warehouse_size" not in task.inputs
        assert usage.urn in task.dependencies
    gate_privileges = next(g for g in gate_resources(plan, GRANT_TO_ROLE))
    assert "EXECUTE MANAGED TASK" not in gate_privileges.inputs["privileges"]


def test_securityadmin_grants_the_owner_what_alerts_the_integration_and_serverless_tasks_need(stack) -> None:
    name, plan = stack
    (grant,) = gate_resources(plan, GRANT_TO_ROLE)
    assert grant.provider_role == "SECURITYADMIN" and grant.inputs["on_account"] is True
    assert grant.inputs["account_role_name"] == gate_owner(name)
    assert sorted(grant.inputs["privileges"]) == [
        "CREATE INTEGRATION",
        "EXECUTE ALERT",
        "EXECUTE MANAGED TASK",
    ]


def test_the_operations_tables_are_the_declarations_the_sql_tests_run_tagged_and_protected_in_prod(
    stack,
) -> None:
    name, plan = stack
    tables = {t.inputs["name"]: t for t in gate_resources(plan, TABLE)}
    assert sorted(tables) == sorted(GATE_TABLES)
    for spec in GATE_TABLES.values():
        table = tables[spec.name]
        assert table.provider_role == gate_owner(name) and table.inputs["schema"] == "SOPHIA_OPS"
        assert table.inputs["comment"] == spec.comment
        assert [(c["name"], c["type"], c["nullable"], c["comment"]) for c in table.inputs["columns"]] == [
            (c.name, c.type.value, c.nullable, c.comment) for c in spec.columns
        ]
        assert table.protect is (name == "prod")
    (key,) = gate_resources(plan, CONSTRAINT)
    assert key.inputs["table_id"].endswith('"SOPHIA_OPS"."PROMOTION_WATERMARKS"')
    assert key.inputs["columns"] == ["SOURCE", "STREAM"]
    tagged = {
        identifier
        for association in plan.of_type(TAG_ASSOCIATION)
        if association.inputs["tag_id"].endswith('"SOPHIA_AI_METADATA"')
        for identifier in association.inputs["object_identifiers"]
    }
    assert {NAMING[name].in_database("SOPHIA_OPS", table) for table in tables} <= tagged


def test_the_held_batches_view_is_the_rendered_select(stack) -> None:
    name, plan = stack
    (view,) = gate_resources(plan, VIEW)
    assert view.inputs["name"] == "HELD_QUALITY_BATCHES" and view.provider_role == gate_owner(name)
    assert view.inputs["statement"] == held_batches_view(gate_objects(name))
    assert {t.urn for t in gate_resources(plan, TABLE)} <= set(view.dependencies)


def test_the_owner_reads_raw_and_writes_curated_and_the_app_reads_curated_only(stack) -> None:
    name, plan = stack
    graph = build_access_graph((r.type, r.raw_inputs) for r in plan.resources)
    owner = graph.effective_schema_privileges(gate_owner(name))
    app = graph.effective_schema_privileges(NAMING[name].functional_role(FunctionalRole.APP))
    database = NAMING[name].database
    future_select = {
        g.inputs["database_role_name"]
        for g in plan.of_type(GRANT_TO_DATABASE_ROLE)
        if g.inputs.get("on_schema_object", {}).get("future", {}).get("object_type_plural") == "TABLES"
        and g.inputs["privileges"] == ["SELECT"]
    }
    for source in SOURCES[name]:
        raw, curated = f"{database}.{source}_DATA_RAW", f"{database}.{source}_DATA"
        assert {"USAGE", "SELECT"} <= owner[raw]  # Airbyte's tables, created by ETL, through future grants
        assert {"CREATE TABLE", "INSERT", "UPDATE", "SELECT"} <= owner[curated]
        # Tables the gate creates in curated are readable by the application the moment they exist.
        assert NAMING[name].qualified_database_role(f"{source}_DATA_RAW", "READ") in future_select
        assert NAMING[name].qualified_database_role(f"{source}_DATA", "READ") in future_select
        assert app[curated] == {"USAGE", "SELECT"} and raw not in app


def test_the_component_exposes_its_checks_and_tasks_by_source(dev_export: Path) -> None:
    resources = json.loads(dev_export.read_text())["deployment"]["resources"]
    (gate,) = [r for r in resources if r["type"] == GATE]
    assert gate["outputs"]["tasks"] == {s: Naming.quality_gate_task(s) for s in SOURCES["dev"]}
    # The policy pack reads the checks from the component: inputs in the export, outputs in AnalyzeStack.
    assert gate["inputs"]["promotedStreams"] == gate["outputs"]["promotedStreams"]
    calls = next(s for s in gate["inputs"]["promotedStreams"]["GONG"] if s["stream"] == "CALLS")
    assert calls["primaryKey"] == ["ID"]
    assert {"check": "unique", "columns": ["ID"], "severity": "error"} in calls["checks"]
