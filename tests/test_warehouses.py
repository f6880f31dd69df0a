"""Warehouses: sizes per stack, suspension, scaling only where asked, and a monitor on every one."""

import pytest

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
    assignments = [e.inputs["execute"] for e in any_plan.of_type(EXECUTE)]
    for warehouse in any_plan.of_type(WAREHOUSE):
        name = warehouse.inputs["name"]
        monitor_name = name.removesuffix("_WH") + "_MONITOR"
        assert monitor_name in monitors
        assert f"ALTER WAREHOUSE {name} SET RESOURCE_MONITOR = {monitor_name}" in assignments
        assert warehouse.ignore_changes == ("resourceMonitor",)


def test_monitor_assignment_runs_as_accountadmin_after_both_exist(any_plan: Plan) -> None:
    for assignment in any_plan.of_type(EXECUTE):
        assert assignment.provider_role == "ACCOUNTADMIN"
        assert assignment.inputs["revert"].endswith("UNSET RESOURCE_MONITOR")
        dependency_types = sorted(any_plan.by_urn(urn).type for urn in assignment.dependencies)
        assert dependency_types == [MONITOR, WAREHOUSE]


def test_credit_quotas_come_from_config(planner) -> None:
    plan = planner("dev", {"warehouses.ML.monthlyCreditQuota": 3})
    assert plan.named(MONITOR, "SOPHIA_AI_DEV_ML_MONITOR").inputs["credit_quota"] == 3


def test_dev_stays_under_its_budget_and_prod_reports_its_ceiling(dev_plan: Plan, prod_plan: Plan) -> None:
    assert dev_plan.stack_outputs["monthly_credit_ceiling"] == pytest.approx(30.8)
    assert dev_plan.stack_outputs["monthly_credit_ceiling"] <= 33
    assert prod_plan.stack_outputs["monthly_credit_ceiling"] == pytest.approx(1485)
