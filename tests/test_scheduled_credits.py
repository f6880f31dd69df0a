"""What scheduled work bills a warehouse at most, in the plan and in the policy pack, which must agree."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from models.credits import ScheduledWork, scheduled_credits, serverless_runs
from models.enums import WarehousePurpose, WarehouseSize
from models.schedules import Schedule
from offline.policy_check import check, load_policy_config
from offline.stack_files import load_stack_files
from policies.sophia_policies import scheduled_credits as policy_credits
from stack.config import WarehouseConfig
from stack.loader import load_stack_config
from stack.scheduled_work import scheduled_work
from tests.harness import PROJECT_DIR, STACKS, plan_stack

ML, ETL = WarehousePurpose.ML, WarehousePurpose.ETL


def _warehouse(size: str = "XSMALL", auto_suspend: int = 60, quota: int = 8) -> WarehouseConfig:
    return WarehouseConfig(
        size=WarehouseSize(size), monthly_credit_quota=quota, auto_suspend_seconds=auto_suspend
    )


def _credits(*work: ScheduledWork, **warehouse: object) -> float:
    return scheduled_credits(work, {ML: _warehouse(**warehouse)})[ML].credits  # type: ignore[arg-type]


def test_an_alert_every_five_minutes_on_xsmall_bills_146_credits_a_month() -> None:
    every_five = ScheduledWork("alert", 1, Schedule.parse("5 MINUTES"), ML)
    assert _credits(every_five) == pytest.approx(8760 * 60 / 3600)  # 146 credits, dev's quota is 8


def test_runs_in_the_same_minute_share_a_resume_and_interval_runs_share_nothing() -> None:
    cron = Schedule.parse("USING CRON 15 * * * * UTC")
    one = _credits(ScheduledWork("tasks", 1, cron, ML))
    assert one == pytest.approx(730 * 60 / 3600)
    assert _credits(ScheduledWork("tasks", 8, cron, ML)) == one  # eight tasks, one resume an hour
    assert _credits(ScheduledWork("tasks", 8, Schedule.parse("60 MINUTES"), ML)) == pytest.approx(8 * one)


def test_a_resume_bills_the_longer_of_the_minimum_and_the_auto_suspend_time_at_the_size_rate() -> None:
    hourly = ScheduledWork("task", 1, Schedule.parse("USING CRON 0 * * * * UTC"), ML)
    assert _credits(hourly, auto_suspend=120, size="MEDIUM") == pytest.approx(730 * 120 / 3600 * 4)
    # Every minute with a 120-second idle: the warehouse never suspends, so at most the whole month.
    minutely = ScheduledWork("task", 1, Schedule.parse("USING CRON * * * * * UTC"), ML)
    assert _credits(minutely, auto_suspend=120) == pytest.approx(730)


def test_work_elsewhere_or_serverless_does_not_count_against_a_warehouse() -> None:
    elsewhere = ScheduledWork("alerts", 3, Schedule.parse("USING CRON 50 * * * * UTC"), ETL)
    serverless = ScheduledWork("gate tasks", 3, Schedule.parse("USING CRON 30 * * * * UTC"), None)
    figures = scheduled_credits([elsewhere, serverless], {ML: _warehouse(), ETL: _warehouse()})
    assert figures[ML].credits == 0 and figures[ML].resumes == 0
    assert figures[ETL].resumes == 730 and figures[ETL].share_of_quota == pytest.approx(730 / 60 / 8)
    assert serverless_runs([elsewhere, serverless]) == 3 * 730


def test_cron_fire_times_follow_their_time_zone() -> None:
    # 09:00 in New York is 14:00 UTC in January (EST).
    times = Schedule.parse("USING CRON 0 9 * * * America/New_York").fire_times(
        datetime(2025, 1, 1, tzinfo=UTC), 48
    )
    assert [t.hour for t in times] == [14, 14]


@pytest.mark.parametrize("stack", STACKS)
def test_the_plan_and_the_policy_pack_count_the_same_credits(stack: str, tmp_path: Path) -> None:
    files = load_stack_files(PROJECT_DIR, stack)
    config = load_stack_config(files.project, files.values, files.secret_keys)
    figures = scheduled_credits(scheduled_work(config), config.warehouses)
    plan = plan_stack(stack)
    resources = [SimpleNamespace(resource_type=r.type, props=r.raw_inputs, urn=r.urn) for r in plan.resources]
    from_export = {
        name: credits for name, (credits, _) in policy_credits.scheduled_credits(resources).items()
    }
    prefix = config.name_prefix
    expected = {f"{prefix}_{p.value}_WH": f.credits for p, f in figures.items() if f.credits}
    assert from_export == pytest.approx(expected)
    # The shipped stacks leave at least half of every quota to real work.
    assert all(f.share_of_quota <= 0.5 for f in figures.values())


def test_the_policy_pack_fails_the_dev_export_with_an_alert_every_five_minutes(dev_export: Path) -> None:
    document = json.loads(dev_export.read_text())
    resources = copy.deepcopy(document["deployment"]["resources"])
    alert = next(r for r in resources if r["type"] == "snowflake:index/alert:Alert")
    alert["inputs"]["alertSchedule"] = {"interval": 5}
    violations = [
        v
        for v in check(resources, load_policy_config(PROJECT_DIR, "dev"))
        if v.rule == "scheduled-work-within-quota"
    ]
    assert [v.urn.rsplit("::", 1)[-1] for v in violations] == ["sophia-warehouses-etl-warehouse"]
    # 147.0 for the gate alerts every five minutes, plus 0.5 for the two daily credential alerts (30 resumes).
    assert "bill up to 147.5 credits a month" in violations[0].message and violations[0].mandatory
