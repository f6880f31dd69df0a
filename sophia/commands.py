"""The commands behind `sophia`: the offline plan, the policy check of any stack export, the guard, a new stack.

Kept apart from the parser (sophia/cli.py) so that `sophia --help` loads none of Pulumi, the policy pack or
the offline engine.
"""

from pathlib import Path

from rich.console import Console

from offline.ci_formats import DEFAULT_ALLOW_FILE, ReportFormat
from offline.guard import (
    GuardInputError,
    apply_allow,
    compare_exports,
    load_allow,
    load_preview_steps,
    preview_changes,
)
from offline.guard_report import render_guard_report
from offline.policy_check import ExportError, check, export_stack, load_export, resolve_policy_config
from offline.policy_defaults import write_policy_config
from offline.policy_report import PolicyReport, render_policy_report
from offline.source_locations import SourceLocator
from sophia.exits import EXIT_FAILED, EXIT_OK, invalid
from sophia.new_stack import new_stack
from sophia.plan_command import plan

__all__ = ["guard", "new_stack", "plan", "policy_check", "policy_config"]


def policy_check(
    export: Path, policy_config: str | None, fmt: ReportFormat, project_dir: Path, out: Console, err: Console
) -> int:
    """The offline `pulumi policy analyze --file`: any stack export against the pack."""
    try:
        resources = load_export(export)
        stack = export_stack(resources)
        config = resolve_policy_config(project_dir, policy_config, stack, "named in the export's URNs")
    except (ExportError, ValueError) as error:
        return invalid(err, f"cannot check {export}", error)
    report = PolicyReport(check(resources, config.rules), config)
    out.out(render_policy_report(report, fmt, SourceLocator(project_dir, stack)), highlight=False)
    return EXIT_FAILED if report.mandatory else EXIT_OK


def policy_config(project_dir: Path, stack: str, path: Path, out: Console, err: Console) -> int:
    """Writes the stack's derived policy config, its committed one on top, for `--policy-pack-config`."""
    if not (project_dir / f"Pulumi.{stack}.yaml").is_file():
        return invalid(
            err,
            f"cannot write the policy config of {stack}",
            ValueError(f"no stack file Pulumi.{stack}.yaml"),
        )
    try:
        config = resolve_policy_config(project_dir, stack, None)
    except ValueError as error:
        return invalid(err, f"cannot write the policy config of {stack}", error)
    write_policy_config(config.rules, path)
    out.out(f"wrote {path}: {config.source}", highlight=False)
    return EXIT_OK


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
            if export_stack(base) != stack:
                err.out(f"warning: comparing stack {export_stack(base)} with stack {stack}", highlight=False)
            source = f"base plan {exports[0]} with head plan {exports[1]}"
        entries = load_allow(allow_path, required=allow is not None)
    except (ExportError, GuardInputError) as error:
        return invalid(err, "cannot run the guard", error)
    shown_allow = f"{allow_path} ({len(entries)} entries)" if allow_path.is_file() else f"none ({allow_path})"
    result = apply_allow(changes, entries, source, shown_allow)
    out.out(render_guard_report(result, fmt, SourceLocator(project_dir, stack)), highlight=False)
    return EXIT_FAILED if result.blocked else EXIT_OK
