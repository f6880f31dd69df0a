"""`sophia plan`: the offline plan of a stack, its export and RBAC graph, the policy pack, and what changes."""

import gc
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.engine import ProgramRun, run_program
from offline.export import to_deployment, write_export
from offline.mermaid import rbac_mermaid
from offline.policy_check import (
    ExportError,
    PolicyConfig,
    check,
    export_stack,
    load_export,
    resolve_policy_config,
)
from offline.policy_report import PolicyReport, render_policy_report
from offline.report import print_plan
from offline.source_locations import SourceLocator
from offline.stack_files import StackFileError, load_stack_files
from policies.sophia_policies.access_graph import build_access_graph
from sophia.exits import EXIT_FAILED, EXIT_OK, invalid
from sophia.plan_output import plan_json, plan_markdown
from sophia.takeover import adoption_inventory, report_takeover
from stack.adoption import InventoryError
from stack.config import StackConfig
from stack.loader import ConfigError, load_stack_config


def plan(
    project_dir: Path,
    stack: str,
    build_dir: Path,
    fmt: ReportFormat,
    out: Console,
    err: Console,
    against: Path | None = None,
    inventory: Path | None = None,
) -> int:
    """Validates the config, runs the program on the mock engine, writes export and RBAC graph, checks policy."""
    try:
        files = load_stack_files(project_dir, stack)
        config = load_stack_config(files.project, files.values, files.secret_keys)
        adopting = adoption_inventory(config, files.project, project_dir, inventory, files.values)
    except (StackFileError, ConfigError, InventoryError) as error:
        return invalid(err, f"invalid stack config for {stack}", error)
    if files.notes:
        lines = "\n".join(f"  {note}" for note in files.notes)
        err.out(f"offline: secrets this plan cannot read stand in for themselves\n{lines}", highlight=False)
    try:
        policy_config = resolve_policy_config(project_dir, None, stack)
    except ValueError as error:
        return invalid(err, f"invalid policy config for {stack}", error)
    try:
        earlier = load_export(against) if against else None
    except ExportError as error:
        return invalid(err, f"cannot read the export to compare with, {against}", error)
    if earlier is not None and export_stack(earlier) not in (stack, None):
        err.out(
            f"warning: {against} is an export of stack {export_stack(earlier)}, not {stack}", highlight=False
        )
    run = run_program(files.program, files.project, files.stack, files.values, files.secret_keys)
    # What the program built lives until the plan ends: the collector need not read it again on every pass
    # the policy check's allocations set off (about 0.4 s of a 4,000-resource plan). Thawed after, for callers
    # that go on in this process; a caller that froze objects of its own keeps them as they were.
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    try:
        report = _write_and_report(
            run, config, build_dir, project_dir, policy_config, earlier, against, fmt, out
        )
        blocked = adopting is not None and report_takeover(
            run, adopting, build_dir, project_dir, out if fmt is ReportFormat.TEXT else err
        )
    finally:
        if freezing:
            gc.unfreeze()
    return EXIT_FAILED if report.mandatory or blocked else EXIT_OK


def _write_and_report(
    run: ProgramRun,
    config: StackConfig,
    build_dir: Path,
    project_dir: Path,
    policy_config: PolicyConfig,
    earlier: dict[str, Any] | None,
    against: Path | None,
    fmt: ReportFormat,
    out: Console,
) -> PolicyReport:
    """Writes the export and RBAC graph, checks the policy pack and prints the plan in the chosen format."""
    deployment = to_deployment(run)
    export = write_export(deployment, build_dir / run.stack / "stack.json")
    graph = build_dir / run.stack / "rbac.mmd"
    graph.write_text(rbac_mermaid(build_access_graph((r.type, r.inputs) for r in run.registrations)))
    report = PolicyReport(check(deployment["deployment"]["resources"], policy_config.rules), policy_config)
    changes = _changes(earlier, deployment["deployment"]["resources"], against)
    locator = SourceLocator(project_dir, run.stack)
    if fmt is ReportFormat.JSON:
        document = plan_json(run, export, graph, report)
        document |= {"changes": changes[0]} if changes is not None else {}
        out.out(json.dumps(document, indent=2), highlight=False)
    elif fmt is ReportFormat.SARIF:
        out.out(render_policy_report(report, fmt, locator), highlight=False)
    elif fmt is ReportFormat.MARKDOWN:
        out.out(plan_markdown(run, config, export, graph, out.width), highlight=False)
        if changes is not None:
            out.out(f"\n```text\n{changes[1]}\n```", highlight=False)
        out.out("\n" + render_policy_report(report, fmt, locator), highlight=False)
    else:
        print_plan(run, config, out)
        out.out(f"stack export: {export}\nRBAC graph:   {graph}", highlight=False)
        if changes is not None:
            out.out(changes[1], highlight=False)
        out.out(render_policy_report(report, fmt, locator), highlight=False)
    return report


def _changes(
    earlier: dict[str, Any] | None, resources: list[dict[str, Any]], against: Path | None
) -> tuple[dict[str, Any], str] | None:
    """What the plan changes against the earlier export, as JSON and as text; None when there is none."""
    if earlier is None:
        return None
    from offline.plan_diff import diff_exports, render_steps, steps_json  # only a plan with `--against`

    steps = diff_exports(earlier, resources)
    return steps_json(steps), render_steps(steps, str(against))
