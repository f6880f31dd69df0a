"""Warehouses: sizes per stack, suspension, scaling only where asked, and a monitor on every one."""

import pytest
import sqlglot
from fakesnow.instance import FakeSnow
from sqlglot import exp

from catalog.sql_files import render_sql
from tests.harness import Plan

WAREHOUSE = "snowflake:index/warehouse:Warehouse"
MONITOR = "snowflake:index/resourceMonitor:ResourceMonitor"
EXECUTE = "snowflake:index/execute:Execute"

EXPECTED_SIZES = {
    "dev": {"ANALYTICS": "XSMALL", "ETL": "XSMALL", "ML": "XSMALL", "REALTIME": "XSMALL"},
    "prod": {"ANALYTICS": "SMALL", "ETL": "MEDIUM", "ML": "LARGE", "REALTIME": "XSMALL"},
}
PREFIX = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_four_warehouses_sized_per_stack(stack: str, dev_plan: Plan, prod_plan: Plan) -> None:
    plan = {"dev": dev_plan, "prod": prod_plan}[stack]
    sizes = {w.inputs["name"]: w.inputs["warehouse_size"] for w in plan.of_type(WAREHOUSE)}
    assert sizes == {f"{PREFIX[stack]}_{purpose}_WH": size for purpose, size in EXPECTED_SIZES[stack].items()}


def test_every_warehouse_suspends_and_resumes(any_plan: Plan) -> None:
    for warehouse in any_plan.of_type(WAREHOUSE):
        assert warehouse.inputs["auto_resume"] == "true"
        assert warehouse.inputs["initially_suspended"] is True
        assert 60 <= warehouse.inputs["auto_suspend"] <= 3600
        assert warehouse.provider_role == "SYSADMIN"


def test_multi_cluster_only_where_the_stack_asks(dev_plan: Plan, prod_plan: Plan) -> None:
    multi = {
        w.inputs["name"] for w in prod_plan.of_type(WAREHOUSE) if w.inputs.get("max_cluster_count", 1) > 1
    }
    assert multi == {"SOPHIA_AI_ANALYTICS_WH"}
    analytics = prod_plan.named(WAREHOUSE, "SOPHIA_AI_ANALYTICS_WH").inputs
    assert (analytics["min_cluster_count"], analytics["max_cluster_count"], analytics["scaling_policy"]) == (
        1,
        3,
        "STANDARD",
    )
    assert all("max_cluster_count" not in w.inputs for w in dev_plan.of_type(WAREHOUSE))


def test_every_warehouse_has_its_own_monitor_with_the_thresholds(any_plan: Plan) -> None:
    monitors = {m.inputs["name"]: m for m in any_plan.of_type(MONITOR)}
    assert len(monitors) == len(any_plan.of_type(WAREHOUSE)) == 4
    for monitor in monitors.values():
        assert monitor.inputs["notify_triggers"] == [50, 75, 90]
        assert monitor.inputs["suspend_trigger"] == 100
        assert monitor.inputs["suspend_immediate_trigger"] == 110
        assert monitor.inputs["frequency"] == "MONTHLY"
        assert monitor.inputs["credit_quota"] > 0
        assert monitor.provider_role == "ACCOUNTADMIN"
    assignments = [e.inputs["execute"] for e in _assignments(any_plan)]
    for warehouse in any_plan.of_type(WAREHOUSE):
        name = warehouse.inputs["name"]
        monitor_name = name.removesuffix("_WH") + "_MONITOR"
        assert monitor_name in monitors
        assert f"ALTER WAREHOUSE {name} SET RESOURCE_MONITOR = {monitor_name}" in assignments
        assert warehouse.ignore_changes == ("resourceMonitor",)


def _assignments(plan: Plan) -> list:
    """The Warehouses component's Execute resources: its monitor assignments."""
    return [e for e in plan.of_type(EXECUTE) if "$sophia:warehouses:Warehouses$" in e.urn]


def test_monitor_assignment_runs_as_accountadmin_after_both_exist(any_plan: Plan) -> None:
    for assignment in _assignments(any_plan):
        assert assignment.provider_role == "ACCOUNTADMIN"
        assert assignment.inputs["revert"].endswith("UNSET RESOURCE_MONITOR")
        dependency_types = sorted(any_plan.by_urn(urn).type for urn in assignment.dependencies)
        assert dependency_types == [MONITOR, WAREHOUSE]


def _pipe(query: str) -> tuple[exp.Expression, exp.Select]:
    """The SHOW and the SELECT of a `->>` chain: sqlglot has no flow operator, so each half parses alone."""
    show, select = (sqlglot.parse_one(part, read="snowflake") for part in query.split("->>"))
    assert isinstance(show, exp.Show) and isinstance(select, exp.Select), query
    return show, select


def test_monitor_assignment_reads_back_only_the_warehouse_and_its_monitor(any_plan: Plan) -> None:
    """Refresh runs `query` each time; it must return what the assignment set and nothing that moves."""
    warehouses = {w.inputs["name"] for w in any_plan.of_type(WAREHOUSE)}
    read_back = set()
    for assignment in _assignments(any_plan):
        show, select = _pipe(assignment.inputs["query"])
        warehouse = show.args["like"].name
        assert show.name == "WAREHOUSES" and warehouse in assignment.inputs["execute"]
        assert [c.name for c in select.expressions] == ["name", "resource_monitor"]
        assert isinstance(select.args["from_"].this.this, exp.Parameter)  # $1: the SHOW above
        assert select.args["where"].this == exp.column("name", quoted=True).eq(exp.Literal.string(warehouse))
        read_back.add(warehouse)
    assert read_back == warehouses


# SHOW WAREHOUSES output columns (Snowflake docs: sql-reference/sql/show-warehouses), every value as text,
# as the provider's Execute stores them in `query_results`.
SHOW_COLUMNS = (
    "name", "state", "type", "size", "min_cluster_count", "max_cluster_count", "started_clusters",
    "running", "queued", "is_default", "is_current", "auto_suspend", "auto_resume", "available",
    "provisioning", "quiescing", "other", "created_on", "resumed_on", "updated_on", "owner", "comment",
    "resource_monitor", "scaling_policy",
)  # fmt: skip
IDLE = {
    "name": "SOPHIA_AI_ETL_WH", "state": "SUSPENDED", "type": "STANDARD", "size": "Medium",
    "min_cluster_count": "1", "max_cluster_count": "1", "started_clusters": "0", "running": "0",
    "queued": "0", "is_default": "N", "is_current": "N", "auto_suspend": "60", "auto_resume": "true",
    "available": "", "provisioning": "", "quiescing": "", "other": "",
    "created_on": "2024-01-01 00:00:00", "resumed_on": "2024-01-01 00:00:00",
    "updated_on": "2024-01-01 00:00:00", "owner": "SYSADMIN", "comment": "ETL",
    "resource_monitor": "SOPHIA_AI_ETL_MONITOR", "scaling_policy": "STANDARD",
}  # fmt: skip
BUSY = IDLE | {
    "state": "STARTED", "started_clusters": "1", "running": "3", "queued": "2", "is_current": "Y",
    "available": "100", "resumed_on": "2024-01-02 09:00:00", "updated_on": "2024-01-02 09:00:00",
}  # fmt: skip
UNMONITORED = IDLE | {"resource_monitor": "null"}  # what SHOW prints once the monitor is unset


def test_monitor_read_back_is_stable_under_use_and_changes_when_the_assignment_does() -> None:
    """The shipped SELECT runs on the emulator over stand-in SHOW rows, $1 bound to them."""
    _, select = _pipe(render_sql("warehouses/show_monitor.sql", warehouse="SOPHIA_AI_ETL_WH"))
    over_table = select.transform(
        lambda node: (
            exp.to_table("SHOW_OUTPUT")
            if isinstance(node, exp.Table) and isinstance(node.this, exp.Parameter)
            else node
        )
    ).sql(dialect="snowflake")
    instance = FakeSnow()
    cursor = instance.connect(database="MONITORS", schema="READ_BACK").cursor()
    columns = ", ".join(f'"{column}" VARCHAR' for column in SHOW_COLUMNS)
    cursor.execute(f"CREATE TABLE SHOW_OUTPUT ({columns})")

    def refresh(row: dict[str, str], statement: str = over_table) -> list[tuple]:
        cursor.execute("DELETE FROM SHOW_OUTPUT")
        for each in (row, row | {"name": "SOPHIA_AI_ETLXWH"}):  # LIKE's `_` matches any character
            cursor.execute(
                f"INSERT INTO SHOW_OUTPUT VALUES ({', '.join(['%s'] * len(SHOW_COLUMNS))})",
                [each[column] for column in SHOW_COLUMNS],
            )
        cursor.execute(statement)
        return cursor.fetchall()

    whole_rows = """SELECT * FROM SHOW_OUTPUT WHERE "name" = 'SOPHIA_AI_ETL_WH'"""
    assert refresh(IDLE, whole_rows) != refresh(BUSY, whole_rows)  # what a bare SHOW reads moves with use
    assert refresh(IDLE) == refresh(BUSY) == [("SOPHIA_AI_ETL_WH", "SOPHIA_AI_ETL_MONITOR")]
    assert refresh(UNMONITORED) == [("SOPHIA_AI_ETL_WH", "null")]
    instance.duck_conn.close()


def test_credit_quotas_come_from_config(planner) -> None:
    plan = planner("dev", {"warehouses.ML.monthlyCreditQuota": 3})
    assert plan.named(MONITOR, "SOPHIA_AI_DEV_ML_MONITOR").inputs["credit_quota"] == 3


def test_dev_stays_under_its_budget_and_prod_reports_its_ceiling(dev_plan: Plan, prod_plan: Plan) -> None:
    assert dev_plan.stack_outputs["monthly_credit_ceiling"] == pytest.approx(30.8)
    assert dev_plan.stack_outputs["monthly_credit_ceiling"] <= 33
    assert prod_plan.stack_outputs["monthly_credit_ceiling"] == pytest.approx(1485)
