"""Cost rules: monitors on every warehouse, short auto-suspend, sizes and clusters within limits, a credit cap."""

import re

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
)

from .rule import NUMBER, STRING, STRINGS, Settings, resource_rule, stack_rule
from .snowflake import EXECUTE, RESOURCE_MONITOR, WAREHOUSE, number, size_rank

_ASSIGNMENT = re.compile(r"ALTER\s+WAREHOUSE\s+(\S+)\s+SET\s+RESOURCE_MONITOR\s*=\s*(\S+)", re.IGNORECASE)


def _monitored_warehouses(args: StackValidationArgs) -> set[str]:
    """Warehouses with a monitor set directly or assigned by an ACCOUNTADMIN Execute statement."""
    monitored = {
        str(r.props.get("name"))
        for r in args.resources
        if r.resource_type == WAREHOUSE and r.props.get("resourceMonitor")
    }
    for resource in args.resources:
        if resource.resource_type == EXECUTE:
            match = _ASSIGNMENT.search(str(resource.props.get("execute", "")))
            if match:
                monitored.add(match.group(1).replace('"', ""))
    return monitored


def _every_warehouse_monitored(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    monitored = _monitored_warehouses(args)
    for warehouse in (r for r in args.resources if r.resource_type == WAREHOUSE):
        if warehouse.props.get("name") not in monitored:
            report(f"Warehouse {warehouse.props.get('name')} has no resource monitor.", warehouse.urn)


def _auto_suspend(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
    if args.resource_type != WAREHOUSE:
        return
    seconds = number(args.props, "autoSuspend")
    if seconds is None or seconds <= 0 or seconds > config["maxAutoSuspendSeconds"]:
        report(
            f"{args.name} auto-suspends after {seconds} s; the limit is {config['maxAutoSuspendSeconds']:g} s.",
            None,
        )


def _size_and_clusters(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
    if args.resource_type != WAREHOUSE:
        return
    size = str(args.props.get("warehouseSize", ""))
    if size_rank(size) < 0 or size_rank(size) > size_rank(config["maxWarehouseSize"]):
        report(f"{args.name} is {size}; this stack allows at most {config['maxWarehouseSize']}.", None)
    clusters = number(args.props, "maxClusterCount", 1)
    if clusters > 1 and args.props.get("name") not in config["multiClusterWarehouses"]:
        report(f"{args.name} scales to {clusters:g} clusters but is not in multiClusterWarehouses.", None)


def _credit_cap(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    total = 0.0
    for monitor in (r for r in args.resources if r.resource_type == RESOURCE_MONITOR):
        quota = number(monitor.props, "creditQuota") or 0
        stop_at = (
            number(monitor.props, "suspendImmediateTrigger") or number(monitor.props, "suspendTrigger") or 100
        )
        total += quota * stop_at / 100
    if total > config["monthlyCreditCap"]:
        report(f"Monitors allow {total:g} credits a month; the cap is {config['monthlyCreditCap']:g}.", None)


COST_RULES = [
    stack_rule(
        "warehouse-has-resource-monitor",
        "Every warehouse is assigned a resource monitor.",
        Severity.HIGH,
        "Declare warehouses through the Warehouses component, which monitors each one.",
        _every_warehouse_monitored,
    ),
    resource_rule(
        "warehouse-auto-suspend-limit",
        "Warehouses auto-suspend, within the configured number of seconds.",
        Severity.MEDIUM,
        "Lower autoSuspendSeconds for the warehouse in the stack config.",
        _auto_suspend,
        enforcement=EnforcementLevel.ADVISORY,
        settings={"maxAutoSuspendSeconds": (NUMBER, 600)},
    ),
    resource_rule(
        "warehouse-size-within-limit",
        "Warehouse sizes stay within the stack's maximum; multi-cluster only where allowed.",
        Severity.HIGH,
        "Use a smaller size, or raise maxWarehouseSize / list the warehouse in multiClusterWarehouses.",
        _size_and_clusters,
        settings={"maxWarehouseSize": (STRING, "LARGE"), "multiClusterWarehouses": (STRINGS, [])},
    ),
    stack_rule(
        "monthly-credit-cap",
        "The stack's monthly credit ceiling (monitor quotas up to their suspend-immediately point) stays under the cap.",
        Severity.HIGH,
        "Lower monthlyCreditQuota of the warehouses, or raise the cap in the policy config.",
        _credit_cap,
        settings={"monthlyCreditCap": (NUMBER, 33)},
    ),
]
