"""A cron's month of fire times is enumerated once however many tasks share it and whoever asks (plan, pack)."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from models import schedules
from models.credits import HOURS_PER_MONTH, MONTH_START, ScheduledWork, scheduled_credits, serverless_runs
from models.enums import WarehousePurpose, WarehouseSize
from models.schedules import Schedule
from policies.sophia_policies import scheduled_credits as policy_credits
from stack.config import WarehouseConfig


@pytest.fixture
def enumerations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every enumeration of fire times started, by expression, with the cache emptied first.

    Each starts by reading the times off the cron's expanded fields (models/cron_times.py), and walks
    croniter only where that cannot be done.
    """
    started: list[str] = []
    read_off = schedules.one_offset_fire_times

    def reading(cron: str, *args: object) -> object:
        started.append(cron)
        return read_off(cron, *args)

    schedules._cron_fire_times.cache_clear()
    monkeypatch.setattr(schedules, "one_offset_fire_times", reading)
    yield started
    schedules._cron_fire_times.cache_clear()


def test_tasks_sharing_a_cron_the_report_and_the_pack_enumerate_it_once(enumerations: list[str]) -> None:
    cron = Schedule.parse("USING CRON 0 */2 * * * UTC")
    work = [ScheduledWork(f"task {i}", 1, cron, WarehousePurpose.ETL) for i in range(5)]
    work.append(ScheduledWork("serverless", 2, cron, None))
    warehouse = WarehouseConfig(size=WarehouseSize.XSMALL, monthly_credit_quota=8, auto_suspend_seconds=60)
    plan_figure = scheduled_credits(work, {WarehousePurpose.ETL: warehouse})[WarehousePurpose.ETL]
    assert serverless_runs(work) == 2 * HOURS_PER_MONTH // 2
    task = SimpleNamespace(
        resource_type="snowflake:index/task:Task",
        props={"name": "T", "warehouse": "WH", "schedule": {"usingCron": "0 */2 * * * UTC"}},
    )
    wh = SimpleNamespace(
        resource_type="snowflake:index/warehouse:Warehouse",
        props={"name": "WH", "warehouseSize": "XSMALL", "autoSuspend": 60},
    )
    pack_figure, _ = policy_credits.scheduled_credits([task, wh])["WH"]
    assert pack_figure == pytest.approx(plan_figure.credits)
    assert enumerations == ["0 */2 * * *"]


def test_the_same_cron_in_another_zone_or_window_is_its_own_walk(enumerations: list[str]) -> None:
    utc = Schedule.parse("USING CRON 0 9 * * * UTC")
    new_york = Schedule.parse("USING CRON 0 9 * * * America/New_York")
    assert utc.fire_times(MONTH_START, 48) != new_york.fire_times(MONTH_START, 48)
    assert len(utc.fire_times(datetime(2025, 6, 1, tzinfo=UTC), 24)) == 1
    assert len(enumerations) == 3
