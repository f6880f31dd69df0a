"""Warehouse config: each warehouse's size, suspension and credit quota, and its resource monitor's thresholds."""

from typing import Self

from pydantic import Field, model_validator

from models.enums import ScalingPolicy, WarehouseSize
from models.identifiers import SnowflakeComment, SnowflakeIdentifier
from models.strict_model import StrictModel


class WarehouseConfig(StrictModel):
    """One warehouse: size, suspension and the monthly credit quota of its monitor."""

    size: WarehouseSize
    monthly_credit_quota: int = Field(gt=0, le=100_000)
    auto_suspend_seconds: int = Field(default=60, ge=60, le=3600)
    min_cluster_count: int = Field(default=1, ge=1, le=10)
    max_cluster_count: int = Field(default=1, ge=1, le=10)
    scaling_policy: ScalingPolicy = ScalingPolicy.STANDARD
    comment: SnowflakeComment = ""

    @model_validator(mode="after")
    def _clusters_ordered(self) -> Self:
        if self.min_cluster_count > self.max_cluster_count:
            raise ValueError(
                f"minClusterCount ({self.min_cluster_count}) must not exceed "
                f"maxClusterCount ({self.max_cluster_count})"
            )
        return self

    @property
    def is_multi_cluster(self) -> bool:
        """Multi-cluster auto-scaling is on only when more than one cluster may run."""
        return self.max_cluster_count > 1


class ResourceMonitorConfig(StrictModel):
    """Thresholds shared by every warehouse's resource monitor, as % of its credit quota."""

    notify_at_percent: list[int] = Field(default=[50, 75, 90], min_length=1)
    suspend_at_percent: int = Field(default=100, ge=1, le=1000)
    suspend_immediately_at_percent: int = Field(default=110, ge=1, le=1000)
    notify_users: list[SnowflakeIdentifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _thresholds_ascend(self) -> Self:
        if sorted(set(self.notify_at_percent)) != self.notify_at_percent:
            raise ValueError(f"notifyAtPercent must be strictly ascending, got {self.notify_at_percent}")
        if self.notify_at_percent[0] < 1 or self.notify_at_percent[-1] >= self.suspend_at_percent:
            raise ValueError(
                f"notifyAtPercent must lie between 1 and suspendAtPercent ({self.suspend_at_percent}), "
                f"got {self.notify_at_percent}"
            )
        if self.suspend_immediately_at_percent <= self.suspend_at_percent:
            raise ValueError(
                f"suspendImmediatelyAtPercent ({self.suspend_immediately_at_percent}) must be above "
                f"suspendAtPercent ({self.suspend_at_percent})"
            )
        return self
