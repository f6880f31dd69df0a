"""The human-readable plan: a component tree with resource counts, and the stack's credit ceilings."""

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from models.credits import HOURS_PER_MONTH, MONTH_START, credit_ceiling, scheduled_credits, serverless_runs
from models.naming import Naming
from offline.engine import STACK_TYPE, ProgramRun, Registration
from stack.config import StackConfig
from stack.scheduled_work import scheduled_work
from stack.semantic import SERVING_CREDITS_PER_GB_MONTH, SearchKind

# Resources the plan names one by one, because people look for them by name.
NAMED_TYPES = frozenset(
    {
        "snowflake:index/table:Table",
        "snowflake:index/streamOnTable:StreamOnTable",
        "snowflake:index/task:Task",
        "snowflake:index/view:View",
        "snowflake:index/alert:Alert",
        "snowflake:index/warehouse:Warehouse",
        "pulumi-python:dynamic/airbyte:Connection",
    }
)


def component_tree(run: ProgramRun) -> Tree:
    """Each component with its child components, then its resources counted by type."""
    children: dict[str, list[Registration]] = {}
    for registration in run.registrations:
        children.setdefault(registration.parent, []).append(registration)
    stack = next(r for r in run.registrations if r.type == STACK_TYPE)
    total = sum(1 for r in run.registrations if r.custom)
    tree = Tree(f"[bold]{run.project}[/] / [bold cyan]{run.stack}[/]: {total} resources")
    _add_children(tree, stack.urn, children)
    return tree


def _add_children(node: Tree, parent_urn: str, children: dict[str, list[Registration]]) -> None:
    kids = sorted(children.get(parent_urn, []), key=lambda r: (r.type, r.name))
    for component in (r for r in kids if not r.custom):
        branch = node.add(f"[bold]{component.name}[/] [dim]{component.type}[/]")
        _add_children(branch, component.urn, children)
    for resource_type, count in sorted(Counter(r.type for r in kids if r.custom).items()):
        branch = node.add(f"{count:>3} × {resource_type}")
        if resource_type in NAMED_TYPES:
            names = sorted(str(r.inputs.get("name", r.name)) for r in kids if r.type == resource_type)
            branch.add(f"[dim]{', '.join(names)}[/]")


def credit_table(config: StackConfig) -> Table:
    """Per warehouse: size, clusters, monitor quota and the monthly credit ceiling; then the total."""
    naming = Naming(config.name_prefix, config.database.name)
    monitors = config.resource_monitors
    table = Table(title=f"Monthly credit ceiling ({config.environment.value})", title_justify="left")
    for column in ("warehouse", "size", "clusters", "quota", "monitor ceiling", "flat out", "ceiling"):
        table.add_column(column, justify="left" if column in {"warehouse", "size"} else "right")
    total = 0.0
    for purpose, warehouse in sorted(config.warehouses.items()):
        ceiling = credit_ceiling(warehouse, monitors)
        total += ceiling.ceiling
        table.add_row(
            naming.warehouse(purpose),
            warehouse.size.value,
            f"{warehouse.min_cluster_count}-{warehouse.max_cluster_count}",
            str(ceiling.quota),
            f"{ceiling.monitor_ceiling:g}",
            str(ceiling.flat_out),
            f"{ceiling.ceiling:g}",
        )
    table.add_section()
    table.add_row("[bold]total[/]", "", "", "", "", "", f"[bold]{total:g}[/]")
    table.caption = (
        f"monitor ceiling = quota × {monitors.suspend_immediately_at_percent}% (suspend immediately); "
        "flat out = credits/hour × clusters × 730 h"
    )
    return table


def scheduled_work_table(config: StackConfig) -> Table:
    """Per warehouse: what runs on a schedule, the most it bills a month if every run resumes it, the quota."""
    naming = Naming(config.name_prefix, config.database.name)
    work = scheduled_work(config)
    credits = scheduled_credits(work, config.warehouses)
    table = Table(
        title=f"Scheduled work, monthly credits at most ({config.environment.value})", title_justify="left"
    )
    for column in ("warehouse", "scheduled", "resumes", "billed h", "credits", "quota", "of quota"):
        table.add_column(column, justify="left" if column in {"warehouse", "scheduled"} else "right")
    for purpose, figure in sorted(credits.items()):
        runs = [
            f"{item.count} {item.what} ({item.schedule.text})" for item in work if item.warehouse is purpose
        ]
        table.add_row(
            naming.warehouse(purpose),
            "\n".join(runs) or "-",
            str(figure.resumes),
            f"{figure.billed_hours:.1f}",
            f"{figure.credits:.1f}",
            str(figure.quota),
            f"{figure.share_of_quota:.0%}",
        )
    serverless = [
        f"{item.count} {item.what} ({item.schedule.text})" for item in work if item.warehouse is None
    ]
    if serverless:
        table.add_section()
        runs = f"{serverless_runs(work)} runs a month, no resume"
        table.add_row("serverless", "\n".join([*serverless, runs]), "-", "", "", "", "")
    table.caption = (
        f"each run resumes its warehouse, billed at least 60 s or its auto-suspend time (runs in the same "
        f"minute share one resume), x credits/hour of its size, over {HOURS_PER_MONTH} h from "
        f"{MONTH_START:%Y-%m-%d}; serverless runs bill the compute they use, no minimum"
    )
    return table


def search_cost_table(config: StackConfig) -> Table:
    """What serving the assistant's search bills a month: a Cortex Search service bills per GB indexed, idle too."""
    semantic = config.semantic
    table = Table(title=f"Search serving, monthly credits ({config.environment.value})", title_justify="left")
    for column in ("search", "indexed GB", "credits/GB-month", "credits"):
        table.add_column(column, justify="left" if column == "search" else "right")
    cortex = semantic.search is SearchKind.CORTEX
    table.add_row(
        "Cortex Search service" if cortex else "vector view (brute force)",
        f"{semantic.indexed_gb:g}" if cortex else "-",
        f"{SERVING_CREDITS_PER_GB_MONTH:g}" if cortex else "-",
        f"{semantic.monthly_serving_credits:g}",
    )
    table.caption = "serving only: refreshes bill the service's warehouse, queries the caller's"
    return table


def print_plan(run: ProgramRun, config: StackConfig, console: Console) -> None:
    """Prints the tree, the credit ceilings, what the schedules cost at most and what search serving costs."""
    console.print(component_tree(run))
    console.print(credit_table(config))
    console.print(scheduled_work_table(config))
    console.print(search_cost_table(config))
