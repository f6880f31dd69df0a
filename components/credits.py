"""Monthly credit ceilings: what each warehouse can burn before its monitor stops it."""

from dataclasses import dataclass

from components.config import ResourceMonitorConfig, WarehouseConfig

HOURS_PER_MONTH = 730


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


def credit_ceiling(warehouse: WarehouseConfig, monitors: ResourceMonitorConfig) -> CreditCeiling:
    """Queries may run until the suspend-immediately threshold, so that is the monitor's real ceiling."""
    return CreditCeiling(
        quota=warehouse.monthly_credit_quota,
        monitor_ceiling=warehouse.monthly_credit_quota * monitors.suspend_immediately_at_percent / 100,
        flat_out=warehouse.size.credits_per_hour * warehouse.max_cluster_count * HOURS_PER_MONTH,
    )
