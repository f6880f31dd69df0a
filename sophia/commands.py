"""The commands behind `sophia`: the offline plan, the policy check of any stack export, the guard.

Kept apart from the parser (sophia/cli.py) so that `sophia --help` loads none of Pulumi, the policy pack or
the offline engine.
"""

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from offline.ci_formats import DEFAULT_ALLOW_FILE, ReportFormat
from offline.engine import ProgramRun, run_program
from offline.export import to_deployment, write_export
from offline.guard import (
    GuardInputError,
    apply_allow,
    compare_exports,
    load_allow,
    load_preview_steps,
    preview_changes,
)
from offline.guard_report import render_guard_report
from offline.mermaid import rbac_mermaid
from offline.policy_check import ExportError, check, export_stack, load_export, resolve_policy_config
from offline.policy_report import PolicyReport, policy_json, render_policy_report
from offline.report import print_plan
from offline.source_locations import SourceLocator
from offline.stack_files import StackFileError, load_stack_files
from policies.sophia_policies.access_graph import build_access_graph
from sophia.exits import EXIT_FAILED, EXIT_INVALID, EXIT_OK
from stack.config import StackConfig
from stack.loader import ConfigError, load_stack_config


def plan(
    project_dir: Path, stack: str, build_dir: Path, fmt: ReportFormat, out: Console, err: Console
) -> int:
    """Validates the config, runs the program on the mock engine, writes export and RBAC graph, checks policy."""
    try:
        files = load_stack_files(project_dir, stack)
        config = load_stack_config(files.project, files.values, files.secret_keys)
    except (StackFileError, ConfigError) as error:
        return _invalid(err, f"invalid stack config for {stack}", error)
    try:
        policy_config = resolve_policy_config(project_dir, None, stack)
    except ValueError as error:
        return _invalid(err, f"invalid policy config for {stack}", error)
    run = run_program(files.program, files.project, files.stack, files.values, files.secret_keys)
    deployment = to_deployment(run)
    export = write_export(deployment, build_dir / stack / "stack.json")
    graph = build_dir / stack / "rbac.mmd"
    graph.write_text(rbac_mermaid(build_access_graph((r.type, r.inputs) for r in run.registrations)))
    report = PolicyReport(check(deployment["deployment"]["resources"], policy_config.rules), policy_config)
    locator = SourceLocator(project_dir, stack)
    if fmt is ReportFormat.JSON:
        out.out(json.dumps(_plan_json(run, export, graph, report), indent=2), highlight=False)
    elif fmt is ReportFormat.SARIF:
        out.out(render_policy_report(report, fmt, locator), highlight=False)
    elif fmt is ReportFormat.MARKDOWN:
        out.out(_plan_markdown(run, config, export, graph, out.width), highlight=False)
        out.out("\n" + render_policy_report(report, fmt, locator), highlight=False)
    else:
        print_plan(run, config, out)
        out.out(f"stack export: {export}\nRBAC graph:   {graph}", highlight=False)
        out.out(render_policy_report(report, fmt, locator), highlight=False)
    return EXIT_FAILED if report.mandatory else EXIT_OK


def policy_check(
    export: Path, policy_config: str | None, fmt: ReportFormat, project_dir: Path, out: Console, err: Console
) -> int:
    """The offline `pulumi policy analyze --file`: any stack export against the pack."""
    try:
        resources = load_export(export)
        stack = export_stack(resources)
        config = resolve_policy_config(project_dir, policy_config, stack, "named in the export's URNs")
    except (ExportError, ValueError) as error:
        return _invalid(err, f"cannot check {export}", error)
    report = PolicyReport(check(resources, config.rules), config)
    out.out(render_policy_report(report, fmt, SourceLocator(project_dir, stack)), highlight=False)
    return EXIT_FAILED if report.mandatory else EXIT_OK


def guard(
    exports: list[Path],
    preview_json: Path | None,
    allow: Path | None,
    fmt: ReportFormat,
    project_dir: Path,
    out: Console,
    err: Console,
) -> int:
    """Fails when a stateful resource would be deleted, replaced or re-created without an allow entry."""
    allow_path = allow or project_dir / DEFAULT_ALLOW_FILE
    try:
        if preview_json is not None:
            steps = load_preview_steps(preview_json)
            changes, stack = preview_changes(steps), export_stack(steps)
            source = f"pulumi preview --json {preview_json}"
        else:
            base, head = load_export(exports[0]), load_export(exports[1])
            changes, stack = compare_exports(base, head), export_stack(head)
            source = f"base plan {exports[0]} with head plan {exports[1]}"
        entries = load_allow(allow_path, required=allow is not None)
    except (ExportError, GuardInputError) as error:
        return _invalid(err, "cannot run the guard", error)
    shown_allow = f"{allow_path} ({len(entries)} entries)" if allow_path.is_file() else f"none ({allow_path})"
    result = apply_allow(changes, entries, source, shown_allow)
    out.out(render_guard_report(result, fmt, SourceLocator(project_dir, stack)), highlight=False)
    return EXIT_FAILED if result.blocked else EXIT_OK


def _invalid(err: Console, what: str, error: Exception) -> int:
    err.print(what, style="bold red", markup=False, highlight=False)
    err.out(str(error), highlight=False)
    return EXIT_INVALID


def _plan_json(run: ProgramRun, export: Path, graph: Path, report: PolicyReport) -> dict[str, Any]:
    return {
        "stack": run.stack,
        "resources": sum(1 for r in run.registrations if r.custom),
        "monthlyCreditCeiling": run.stack_outputs.get("monthly_credit_ceiling"),
        "export": str(export),
        "rbacGraph": str(graph),
        "policy": policy_json(report),
    }


def _plan_markdown(run: ProgramRun, config: StackConfig, export: Path, graph: Path, width: int) -> str:
    """The plan tree and credit table as the terminal shows them, in a fenced block for a step summary."""
    capture = Console(file=io.StringIO(), width=width, color_system=None, record=True)
    print_plan(run, config, capture)
    return (
        f"## Offline plan: `{run.stack}`\n\n```text\n{capture.export_text().rstrip()}\n```\n\n"
        f"Stack export: `{export}` · RBAC graph: `{graph}`"
    )
