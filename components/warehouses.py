"""The platform's warehouses, each under its own resource monitor."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.sql_files import render_sql
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from models.enums import WarehousePurpose
from stack.config import ResourceMonitorConfig, WarehouseConfig


@dataclass(frozen=True)
class WarehousesArgs:
    """Each warehouse's config and the thresholds its monitor shares with the others."""

    warehouses: Mapping[WarehousePurpose, WarehouseConfig]
    monitors: ResourceMonitorConfig


class Warehouses(PlatformComponent):
    """Auto-suspending, initially suspended warehouses; monitors notify, then suspend, then stop them."""

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: WarehousesArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._naming = context.naming
        self.by_purpose: dict[WarehousePurpose, snowflake.Warehouse] = {}
        for purpose, warehouse_config in args.warehouses.items():
            resource_name = f"{name}-{purpose.value.lower()}"
            warehouse = self._create_warehouse(resource_name, purpose, warehouse_config)
            monitor = self._create_monitor(resource_name, purpose, warehouse_config, args.monitors)
            self._assign_monitor(resource_name, purpose, [warehouse, monitor])
            self.by_purpose[purpose] = warehouse
        self.register_outputs({p.value.lower(): w.name for p, w in self.by_purpose.items()})

    def _create_warehouse(
        self, resource_name: str, purpose: WarehousePurpose, config: WarehouseConfig
    ) -> snowflake.Warehouse:
        scaling = (
            {
                "min_cluster_count": config.min_cluster_count,
                "max_cluster_count": config.max_cluster_count,
                "scaling_policy": config.scaling_policy.value,
            }
            if config.is_multi_cluster
            else {}
        )
        return snowflake.Warehouse(
            f"{resource_name}-warehouse",
            name=self._naming.warehouse(purpose),
            warehouse_size=config.size.value,
            auto_suspend=config.auto_suspend_seconds,
            auto_resume="true",
            initially_suspended=True,
            comment=config.comment or f"Sophia AI {purpose.value} workload",
            **scaling,
            # Only ACCOUNTADMIN may attach a monitor, so the attachment is its own resource below.
            opts=self.options(acting_as=SystemRole.SYSADMIN, ignore_changes=["resourceMonitor"]),
        )

    def _create_monitor(
        self,
        resource_name: str,
        purpose: WarehousePurpose,
        config: WarehouseConfig,
        monitors: ResourceMonitorConfig,
    ) -> snowflake.ResourceMonitor:
        return snowflake.ResourceMonitor(
            f"{resource_name}-monitor",
            name=self._naming.resource_monitor(purpose),
            credit_quota=config.monthly_credit_quota,
            frequency="MONTHLY",
            start_timestamp="IMMEDIATELY",
            notify_triggers=monitors.notify_at_percent,
            suspend_trigger=monitors.suspend_at_percent,
            suspend_immediate_trigger=monitors.suspend_immediately_at_percent,
            notify_users=monitors.notify_users or None,
            opts=self.options(acting_as=SystemRole.ACCOUNTADMIN),
        )

    def _assign_monitor(
        self, resource_name: str, purpose: WarehousePurpose, depends_on: list[pulumi.Resource]
    ) -> snowflake.Execute:
        """ALTER WAREHOUSE ... SET RESOURCE_MONITOR, as ACCOUNTADMIN, reverted on destroy; refresh reads it back."""
        # Execute runs `query` on every refresh and keeps its rows as the output `query_results`; a changed
        # query only re-reads, never re-runs `execute` (provider docs/resources/execute.md). A bare SHOW
        # WAREHOUSES also returns state, running, queued, started_clusters and resumed_on, which move with
        # use, so a refresh that diffs outputs (Pulumi's legacy refresh diff) drifted every time. The pipe
        # (->>, Snowflake sql-reference/operators-flow) keeps only the name and the monitor ("null" once
        # unset, provider pkg/sdk/generator/defs/warehouse_def.go): it changes exactly when the assignment
        # does. Pulumi's default refresh diffs against the program's inputs, where `query_results` never
        # shows; there the rows are a record in state of the assignment as last read.
        names = {
            "warehouse": self._naming.warehouse(purpose),
            "monitor": self._naming.resource_monitor(purpose),
        }
        return snowflake.Execute(
            f"{resource_name}-monitor-assignment",
            execute=render_sql("warehouses/assign_monitor.sql", **names),
            revert=render_sql("warehouses/unassign_monitor.sql", **names),
            query=render_sql("warehouses/show_monitor.sql", **names),
            # The revert undoes this very assignment (UNSET RESOURCE_MONITOR). Pulumi replaces create-before-
            # delete by default: the new assignment would run, then the old one's revert would unset it and
            # leave the warehouse unmonitored. Deleting first reverts the old, then assigns the new.
            opts=self.options(*depends_on, acting_as=SystemRole.ACCOUNTADMIN, delete_before_replace=True),
        )
