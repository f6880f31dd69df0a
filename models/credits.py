"""Monthly credit ceilings: what each warehouse can burn before its monitor stops it."""

from dataclasses import dataclass
from typing import Protocol

from models.enums import WarehouseSize

HOURS_PER_MONTH = 730


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
