"""Cost rules: monitors on every warehouse, auto-suspend, sizes, clusters, a credit cap, what schedules cost."""

import re

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
)

from .rule import NUMBER, STRING, STRINGS, Settings, resource_rule, stack_rule
from .scheduled_credits import scheduled_credits
from .snowflake import EXECUTE, RESOURCE_MONITOR, WAREHOUSE, number, size_rank, unquote

# An identifier is "quoted" (case kept, "" for a quote) or bare (stored upper-case):
# https://docs.snowflake.com/en/sql-reference/identifiers-syntax
_IDENTIFIER = r'"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*'
_ASSIGNMENT = re.compile(
    rf"ALTER\s+WAREHOUSE\s+(?:IF\s+EXISTS\s+)?({_IDENTIFIER})\s+SET\s+(?:[\w\s=',]*?\s)?"
    rf"RESOURCE_MONITOR\s*=\s*({_IDENTIFIER})",
    re.IGNORECASE,
)


def _identifier(text: str) -> str:
    """How Snowflake resolves an identifier: a quoted one as written, a bare one upper-cased."""
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    return text.upper()


def _assignments(args: StackValidationArgs) -> list[tuple[str, str, str]]:
    """(warehouse, monitor, URN) for every monitor set on a warehouse or assigned by an Execute statement."""
    # pulumi-snowflake quotes the names its properties are given, so those are taken as written.
    found = [
        (str(r.props.get("name")), unquote(str(r.props.get("resourceMonitor"))), r.urn)
        for r in args.resources
        if r.resource_type == WAREHOUSE and r.props.get("resourceMonitor")
    ]
    for resource in (r for r in args.resources if r.resource_type == EXECUTE):
        for match in _ASSIGNMENT.finditer(str(resource.props.get("execute", ""))):
            found.append((_identifier(match.group(1)), _identifier(match.group(2)), resource.urn))
    return found


def _every_warehouse_monitored(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    monitored = {warehouse for warehouse, _, _ in _assignments(args)}
    for warehouse in (r for r in args.resources if r.resource_type == WAREHOUSE):
        if warehouse.props.get("name") not in monitored:
            report(f"Warehouse {warehouse.props.get('name')} has no resource monitor.", warehouse.urn)


def _assigned_monitors_declared(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    declared = {unquote(r.props.get("name")) for r in args.resources if r.resource_type == RESOURCE_MONITOR}
    for warehouse, monitor, urn in _assignments(args):
        if monitor not in declared:
            known = ", ".join(sorted(declared)) or "none"
            report(
                f"Warehouse {warehouse} is assigned monitor {monitor}, which the stack does not declare "
                f"(declared: {known}).",
                urn,
            )


def _auto_suspends(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    seconds = number(args.props, "autoSuspend")
    if seconds is None:
        # Unset, pulumi-snowflake leaves AUTO_SUSPEND to Snowflake ("fallback to Snowflake default", -1).
        report(f"{args.name} does not set autoSuspend, so nothing in the stack says it ever suspends.", None)
    elif seconds <= 0:
        # AUTO_SUSPEND = 0 or NULL: the warehouse never suspends (Snowflake CREATE WAREHOUSE reference).
        report(f"{args.name} has autoSuspend {seconds:g}: it never suspends and bills while idle.", None)


def _auto_suspend_limit(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
    seconds = number(args.props, "autoSuspend")
    if seconds is not None and seconds > config["maxAutoSuspendSeconds"]:
        report(
            f"{args.name} auto-suspends after {seconds:g} s; the limit is {config['maxAutoSuspendSeconds']:g} s.",
            None,
        )


def _size_and_clusters(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
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


def _scheduled_work_within_quota(
    args: StackValidationArgs, report: ReportViolation, config: Settings
) -> None:
    quotas = {
        unquote(r.props.get("name")): number(r.props, "creditQuota") or 0
        for r in args.resources
        if r.resource_type == RESOURCE_MONITOR
    }
    monitor_of = {warehouse: monitor for warehouse, monitor, _ in _assignments(args)}
    urns = {str(r.props.get("name")): r.urn for r in args.resources if r.resource_type == WAREHOUSE}
    share = config["maxShareOfQuota"]
    for warehouse, (credits, schedules) in sorted(scheduled_credits(list(args.resources)).items()):
        quota = quotas.get(monitor_of.get(warehouse, ""))
        if quota and credits > share * quota:
            report(
                f"{warehouse} runs {len(schedules.objects)} scheduled tasks and alerts that bill up to "
                f"{credits:.1f} credits a month if every run resumes it, {credits / quota:.0%} of its monitor's "
                f"{quota:g}-credit quota; scheduled work may take at most {share:.0%}.",
                urns.get(warehouse),
            )


COST_RULES = [
    stack_rule(
        "warehouse-has-resource-monitor",
        "Every warehouse is assigned a resource monitor.",
        Severity.HIGH,
        "Declare warehouses through the Warehouses component, which monitors each one.",
        _every_warehouse_monitored,
    ),
    stack_rule(
        "monitor-assignment-names-declared-monitor",
        "Every resource monitor assigned to a warehouse is one the stack declares.",
        Severity.HIGH,
        "Assign the warehouse the monitor the Warehouses component declares for it, or declare that monitor.",
        _assigned_monitors_declared,
    ),
    resource_rule(
        "warehouse-auto-suspends",
        "Every warehouse sets a positive autoSuspend, so it suspends when idle.",
        Severity.HIGH,
        "Set sophia-data-platform:warehouses.<WAREHOUSE>.autoSuspendSeconds (the Warehouses component "
        "always sets it).",
        _auto_suspends,
        types=(WAREHOUSE,),
    ),
    resource_rule(
        "warehouse-auto-suspend-limit",
        "Warehouses auto-suspend within the configured number of seconds.",
        Severity.MEDIUM,
        "Lower sophia-data-platform:warehouses.<WAREHOUSE>.autoSuspendSeconds, or raise "
        "warehouse-auto-suspend-limit.maxAutoSuspendSeconds in policies/config/<stack>.json.",
        _auto_suspend_limit,
        types=(WAREHOUSE,),
        enforcement=EnforcementLevel.ADVISORY,
        settings={"maxAutoSuspendSeconds": (NUMBER, 600)},
    ),
    resource_rule(
        "warehouse-size-within-limit",
        "Warehouse sizes stay within the stack's maximum; multi-cluster only where allowed.",
        Severity.HIGH,
        "Use a smaller sophia-data-platform:warehouses.<WAREHOUSE>.size, or raise "
        "warehouse-size-within-limit.maxWarehouseSize / list the warehouse in "
        "warehouse-size-within-limit.multiClusterWarehouses in policies/config/<stack>.json.",
        _size_and_clusters,
        types=(WAREHOUSE,),
        settings={"maxWarehouseSize": (STRING, "LARGE"), "multiClusterWarehouses": (STRINGS, [])},
    ),
    stack_rule(
        "scheduled-work-within-quota",
        "The tasks and alerts scheduled on a warehouse, each run billed the 60-second minimum (or the "
        "auto-suspend time) of a resume, take at most the configured share of its monitor's quota.",
        Severity.HIGH,
        "Schedule the tasks or alerts less often (sophia-data-platform:embedding.schedule, "
        "sophia-data-platform:qualityGate.schedule, sophia-data-platform:qualityGate.alerts.schedule, "
        "sophia-data-platform:security.credentials.alertSchedule), give runs the same cron minute so they "
        "share a resume, run the gate serverless (sophia-data-platform:qualityGate.warehouse: "
        "SERVERLESS), or raise sophia-data-platform:warehouses.<WAREHOUSE>.monthlyCreditQuota.",
        _scheduled_work_within_quota,
        settings={"maxShareOfQuota": (NUMBER, 0.5)},
    ),
    stack_rule(
        "monthly-credit-cap",
        "The stack's monthly credit ceiling (monitor quotas up to their suspend-immediately point) stays under the cap.",
        Severity.HIGH,
        "Lower sophia-data-platform:warehouses.<WAREHOUSE>.monthlyCreditQuota, or raise "
        "monthly-credit-cap.monthlyCreditCap in policies/config/<stack>.json.",
        _credit_cap,
        settings={"monthlyCreditCap": (NUMBER, 33)},
    ),
]
