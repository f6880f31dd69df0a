"""What the tasks and alerts of a stack export bill their warehouses a month at most, read from the export."""

# The pack runs in its own runtime and cannot import the program's models/credits.py; the same arithmetic
# is written here for the export's properties, and a test holds the two to the same figures.

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from croniter import croniter

from .snowflake import TASK, WAREHOUSE, number, size_rank

ALERT = "snowflake:index/alert:Alert"
HOURS_PER_MONTH = 730
# Each start or resume of a warehouse bills at least 60 seconds (Snowflake, "Understanding compute cost").
MINIMUM_BILLED_SECONDS = 60
MONTH_START = datetime(2025, 1, 1, tzinfo=UTC)
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "interval": 60}


@dataclass
class WarehouseSchedules:
    """The scheduled objects on one warehouse: the cron instants they fire at, and interval runs apart."""

    objects: list[str] = field(default_factory=list)
    instants: set[datetime] = field(default_factory=set)
    interval_runs: list[tuple[int, int]] = field(default_factory=list)

    def billed_seconds(self, window: float) -> float:
        """Each resume bills `window` seconds; cron runs inside a window share it, interval runs share nothing."""
        times = sorted(self.instants)
        billed = sum(min(window, (later - earlier).total_seconds()) for earlier, later in pairwise(times))
        billed += window if times else 0
        billed += sum(count * min(window, interval) for count, interval in self.interval_runs)
        return min(billed, HOURS_PER_MONTH * 3600)


@cache
def _zones() -> frozenset[str]:
    """Every IANA zone name; reading them walks the zone files, so once."""
    return frozenset(available_timezones())


# Cached: the same crons recur across a stack's tasks and across every export a check or a mutation run sees.
@cache
def _cron_instants(expression: str, zone: str) -> frozenset[datetime]:
    tz = ZoneInfo(zone)
    times = croniter(expression, MONTH_START.astimezone(tz) - timedelta(microseconds=1))
    end = MONTH_START + timedelta(hours=HOURS_PER_MONTH)
    found = set()
    while (at := times.get_next(datetime)) < end:
        found.add(at.astimezone(UTC))
    return frozenset(found)


def _schedule(resource: Any) -> tuple[str, str] | tuple[None, int] | None:
    """(cron, zone) or (None, interval seconds) from a Task's `schedule` or an Alert's `alertSchedule`."""
    props = resource.props
    schedule = props.get("schedule") if resource.resource_type == TASK else props.get("alertSchedule")
    if not isinstance(schedule, Mapping):
        return None
    cron = schedule.get("usingCron")
    if isinstance(cron, str) and len(cron.split(" ")) == 6:
        *fields, zone = cron.split(" ")
        return " ".join(fields), zone
    nested = schedule.get("cron")
    if isinstance(nested, Mapping) and nested.get("expression"):
        return str(nested["expression"]), str(nested.get("timeZone") or "UTC")
    for key, seconds in _UNIT_SECONDS.items():
        value = number(schedule, key)
        if value:
            return None, int(value * seconds)
    return None


def warehouse_schedules(resources: Iterable[Any]) -> dict[str, WarehouseSchedules]:
    """Warehouse name → the tasks and alerts that run on it; serverless tasks (no warehouse) are left out."""
    by_warehouse: dict[str, WarehouseSchedules] = {}
    for resource in resources:
        if resource.resource_type not in (TASK, ALERT) or not resource.props.get("warehouse"):
            continue
        schedule = _schedule(resource)
        if schedule is None:
            continue
        cron, detail = schedule
        if cron is not None and not (croniter.is_valid(cron) and str(detail) in _zones()):
            continue  # unknown during a preview, or a schedule Snowflake itself would refuse
        entry = by_warehouse.setdefault(str(resource.props["warehouse"]), WarehouseSchedules())
        entry.objects.append(str(resource.props.get("name")))
        if cron is None:
            entry.interval_runs.append((HOURS_PER_MONTH * 3600 // int(detail), int(detail)))
        else:
            entry.instants |= _cron_instants(cron, str(detail))
    return by_warehouse


def scheduled_credits(resources: list[Any]) -> dict[str, tuple[float, WarehouseSchedules]]:
    """Warehouse name → (monthly credits its schedules bill at most, what is scheduled on it)."""
    warehouses = {str(r.props.get("name")): r for r in resources if r.resource_type == WAREHOUSE}
    result = {}
    for name, schedules in warehouse_schedules(resources).items():
        warehouse = warehouses.get(name)
        if warehouse is None:
            continue
        rank = size_rank(str(warehouse.props.get("warehouseSize", "")))
        window = max(MINIMUM_BILLED_SECONDS, number(warehouse.props, "autoSuspend", 0) or 0)
        credits = schedules.billed_seconds(window) / 3600 * 2 ** max(rank, 0)
        result[name] = (credits, schedules)
    return result
