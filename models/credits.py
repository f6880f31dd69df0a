"""Monthly credits: what each warehouse can burn before its monitor stops it, and what its schedules cost."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from typing import Protocol

from models.enums import WarehousePurpose, WarehouseSize
from models.schedules import Schedule

HOURS_PER_MONTH = 730
# Each time a warehouse starts or resumes it is billed for at least 60 seconds, then per second
# (Snowflake, "Understanding compute cost", virtual warehouse credit usage).
MINIMUM_BILLED_SECONDS = 60
# The month the schedules are counted over: any fixed 730 hours give the same figure for every
# schedule finer than a month, and a fixed start keeps the figure the same from one plan to the next.
MONTH_START = datetime(2025, 1, 1, tzinfo=UTC)


class Warehouse(Protocol):
    """What a ceiling needs of a warehouse's config: its quota, size and cluster count."""

    @property
    def monthly_credit_quota(self) -> int: ...

    @property
    def size(self) -> WarehouseSize: ...

    @property
    def max_cluster_count(self) -> int: ...


class Monitors(Protocol):
    """What a ceiling needs of the monitors' config: the threshold that stops queries at once."""

    @property
    def suspend_immediately_at_percent(self) -> int: ...


@dataclass(frozen=True)
class CreditCeiling:
    """A warehouse's monthly credit limits: by its monitor, and by running flat out all month."""

    quota: int
    monitor_ceiling: float
    flat_out: int

    @property
    def ceiling(self) -> float:
        """The binding limit: the monitor stops the warehouse first unless it cannot reach the quota."""
        return min(self.monitor_ceiling, self.flat_out)


def credit_ceiling(warehouse: Warehouse, monitors: Monitors) -> CreditCeiling:
    """Queries may run until the suspend-immediately threshold, so that is the monitor's real ceiling."""
    return CreditCeiling(
        quota=warehouse.monthly_credit_quota,
        monitor_ceiling=warehouse.monthly_credit_quota * monitors.suspend_immediately_at_percent / 100,
        flat_out=warehouse.size.credits_per_hour * warehouse.max_cluster_count * HOURS_PER_MONTH,
    )


class ScheduledWarehouse(Warehouse, Protocol):
    """What the scheduled work's credits need of a warehouse: also how long it idles before suspending."""

    @property
    def auto_suspend_seconds(self) -> int: ...


@dataclass(frozen=True)
class ScheduledWork:
    """Objects that run on one schedule: tasks or alerts, on a warehouse or serverless (None)."""

    what: str
    count: int
    schedule: Schedule
    warehouse: WarehousePurpose | None


@dataclass(frozen=True)
class ScheduledCredits:
    """The most a warehouse's scheduled work bills a month if every run resumes it, beside its quota."""

    resumes: int
    billed_hours: float
    credits: float
    quota: int

    @property
    def share_of_quota(self) -> float:
        """The fraction of the monitor's quota the schedules alone take."""
        return self.credits / self.quota


@dataclass(frozen=True)
class ResumeBilling:
    """What a warehouse's scheduled runs bill a month at most: how often they resume it, for how long."""

    resumes: int
    billed_seconds: float


def resume_billing(schedules: Iterable[tuple[int, Schedule]], window: float) -> ResumeBilling:
    """Runs x billed seconds per resume for (count, schedule) pairs on one warehouse, at most.

    A run that resumes the warehouse keeps it up for `window` seconds (the 60-second minimum or its
    auto-suspend time, whichever is longer); runs that fire while it is still up (the same cron minute, say)
    share that resume. Interval schedules start whenever their object is resumed, so they share nothing.
    """
    items = list(schedules)
    instants = sorted(
        {
            at
            for _, schedule in items
            if schedule.cron
            for at in schedule.fire_times(MONTH_START, HOURS_PER_MONTH)
        }
    )
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(instants)]
    billed = sum(min(window, gap) for gap in gaps) + (window if instants else 0)
    resumes = (1 if instants else 0) + sum(1 for gap in gaps if gap >= window)
    for count, schedule in items:
        if schedule.interval_seconds is not None:
            runs = count * schedule.runs_in(HOURS_PER_MONTH, MONTH_START)
            billed += runs * min(window, schedule.interval_seconds)
            resumes += runs
    return ResumeBilling(resumes, min(billed, HOURS_PER_MONTH * 3600))


def billing_window(auto_suspend_seconds: float) -> float:
    """How long one resume keeps a warehouse billed: its auto-suspend time, at least the 60-second minimum."""
    return max(MINIMUM_BILLED_SECONDS, auto_suspend_seconds)


def scheduled_credits(
    work: Iterable[ScheduledWork], warehouses: Mapping[WarehousePurpose, ScheduledWarehouse]
) -> dict[WarehousePurpose, ScheduledCredits]:
    """Per warehouse: what its scheduled work bills a month at most (`resume_billing`), beside its quota."""
    items = list(work)
    result = {}
    for purpose, warehouse in warehouses.items():
        mine = [(item.count, item.schedule) for item in items if item.warehouse is purpose]
        billing = resume_billing(mine, billing_window(warehouse.auto_suspend_seconds))
        result[purpose] = ScheduledCredits(
            resumes=billing.resumes,
            billed_hours=billing.billed_seconds / 3600,
            credits=billing.billed_seconds / 3600 * warehouse.size.credits_per_hour,
            quota=warehouse.monthly_credit_quota,
        )
    return result


def serverless_runs(work: Iterable[ScheduledWork]) -> int:
    """Runs a month of the work on serverless compute, billed for the compute each run uses, no minimum."""
    return sum(
        item.count * item.schedule.runs_in(HOURS_PER_MONTH, MONTH_START)
        for item in work
        if item.warehouse is None
    )
