"""What the tasks and alerts of a stack export bill their warehouses a month at most, read from the export.

The arithmetic is the program's own (models/credits.py, installed into the pack's runtime from
policies/requirements.txt); this module only reads the export's properties into its terms.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from models.credits import billing_window, resume_billing
from models.enums import WarehouseSize
from models.schedules import Schedule

from .snowflake import TASK, WAREHOUSE, number, size_rank

ALERT = "snowflake:index/alert:Alert"
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "interval": 60}


@dataclass
class WarehouseSchedules:
    """The scheduled objects on one warehouse and their schedules."""

    objects: list[str] = field(default_factory=list)
    schedules: list[tuple[int, Schedule]] = field(default_factory=list)

    def billed_seconds(self, window: float) -> float:
        """Each resume bills `window` seconds; cron runs inside a window share it, interval runs share nothing."""
        return resume_billing(self.schedules, window).billed_seconds


def _schedule(resource: Any) -> Schedule | None:
    """A Task's `schedule` or an Alert's `alertSchedule` as a Schedule; None if absent or not one Snowflake takes."""
    props = resource.props
    schedule = props.get("schedule") if resource.resource_type == TASK else props.get("alertSchedule")
    if not isinstance(schedule, Mapping):
        return None
    text = None
    cron = schedule.get("usingCron")
    nested = schedule.get("cron")
    if isinstance(cron, str):
        text = f"USING CRON {cron}"
    elif isinstance(nested, Mapping) and nested.get("expression"):
        text = f"USING CRON {nested['expression']} {nested.get('timeZone') or 'UTC'}"
    else:
        seconds = next(
            (int(value * unit) for key, unit in _UNIT_SECONDS.items() if (value := number(schedule, key))), 0
        )
        text = f"{seconds} SECONDS" if seconds > 0 else None
    try:
        return Schedule.parse(text) if text else None
    except ValueError:
        return None  # unknown during a preview, or a schedule Snowflake itself would refuse


def warehouse_schedules(resources: Iterable[Any]) -> dict[str, WarehouseSchedules]:
    """Warehouse name → the tasks and alerts that run on it; serverless tasks (no warehouse) are left out."""
    by_warehouse: dict[str, WarehouseSchedules] = {}
    for resource in resources:
        if resource.resource_type not in (TASK, ALERT) or not resource.props.get("warehouse"):
            continue
        schedule = _schedule(resource)
        if schedule is None:
            continue
        entry = by_warehouse.setdefault(str(resource.props["warehouse"]), WarehouseSchedules())
        entry.objects.append(str(resource.props.get("name")))
        entry.schedules.append((1, schedule))
    return by_warehouse


def scheduled_credits(resources: list[Any]) -> dict[str, tuple[float, WarehouseSchedules]]:
    """Warehouse name → (monthly credits its schedules bill at most, what is scheduled on it)."""
    warehouses = {str(r.props.get("name")): r for r in resources if r.resource_type == WAREHOUSE}
    result = {}
    for name, schedules in warehouse_schedules(resources).items():
        warehouse = warehouses.get(name)
        if warehouse is None:
            continue
        size = list(WarehouseSize)[max(size_rank(str(warehouse.props.get("warehouseSize", ""))), 0)]
        window = billing_window(number(warehouse.props, "autoSuspend", 0) or 0)
        credits = schedules.billed_seconds(window) / 3600 * size.credits_per_hour
        result[name] = (credits, schedules)
    return result
