"""The `sophia` command: the offline plan, the policy check of any stack export, the destructive-change guard."""

import argparse
import json
import textwrap
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.engine import run_program
from offline.export import to_deployment, write_export
from offline.guard import (
    DEFAULT_ALLOW_FILE,
    GuardInputError,
    apply_allow,
    compare_exports,
    load_allow,
    load_preview_steps,
    preview_changes,
)
from offline.guard_report import GUARD_FORMATS, render_guard_report
from offline.mermaid import rbac_mermaid
from offline.policy_check import ExportError, check, export_stack, load_export, resolve_policy_config
from offline.policy_report import PolicyReport, render_policy_report
from offline.report import print_plan
from offline.source_locations import SourceLocator
from offline.stack_files import StackFileError, load_stack_files
from policies.sophia_policies.access_graph import build_access_graph
from sophia.hooks.cli import add_hooks_command
from sophia.inventory import add_inventory_command
from sophia.plan_output import plan_json, plan_markdown
from sophia.takeover import INVENTORY_HELP, adoption_inventory, report_takeover
from stack.adoption import InventoryError
from stack.loader import ConfigError, load_stack_config

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
EXIT_CODES = """exit codes:
  0  clean: no mandatory policy violation, no blocked destructive change
  1  a mandatory policy violation, or a destructive change nobody allowed
  2  bad input: stack config, unknown stack, unreadable export, preview document, policy config or allow file"""
PLAN_EXITS = """exit codes:
  0  the plan was made and no mandatory policy rule is violated (advisory ones are shown)
  1  a mandatory policy violation; the plan files are written all the same
  1  also: with an inventory, a destructive adoption the allow file does not list
  2  invalid stack config, unknown stack or unusable inventory (stderr names the key and what is wrong)"""
CHECK_EXITS = """exit codes:
  0  no mandatory policy violation (advisory ones are shown)
  1  a mandatory policy violation
  2  the export or the policy config cannot be read"""
GUARD_EXITS = """exit codes:
  0  no stateful resource is deleted, replaced or re-created, or every such change is allowed
  1  a destructive change the allow file does not list
  2  an export, the preview document or the allow file cannot be read"""
FORMAT_HELP = {
    ReportFormat.TEXT: "text (default): one block per finding, for people",
    ReportFormat.JSON: "json",
    ReportFormat.GITHUB: "github: workflow commands that annotate the run",
    ReportFormat.SARIF: "sarif: SARIF 2.1.0 for code scanning",
    ReportFormat.MARKDOWN: "markdown: for a step summary or a pull-request comment",
}


def plan(
    project_dir: Path,
    stack: str,
    build_dir: Path,
    fmt: ReportFormat,
    out: Console,
    err: Console,
    inventory: Path | None = None,
) -> int:
    """Validates the config, runs the program on the mock engine, writes export and RBAC graph, checks policy."""
    try:
        files = load_stack_files(project_dir, stack)
        config = load_stack_config(files.project, files.values, files.secret_keys)
        adopting = adoption_inventory(config, files.project, project_dir, inventory, files.values)
    except (StackFileError, ConfigError, InventoryError) as error:
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
        out.out(json.dumps(plan_json(run, export, graph, report), indent=2), highlight=False)
    elif fmt is ReportFormat.SARIF:
        out.out(render_policy_report(report, fmt, locator), highlight=False)
    elif fmt is ReportFormat.MARKDOWN:
        out.out(plan_markdown(run, config, export, graph, out.width), highlight=False)
        out.out("\n" + render_policy_report(report, fmt, locator), highlight=False)
    else:
        print_plan(run, config, out)
        out.out(f"stack export: {export}\nRBAC graph:   {graph}", highlight=False)
        out.out(render_policy_report(report, fmt, locator), highlight=False)
    blocked = adopting is not None and report_takeover(
        run, adopting, build_dir, project_dir, out if fmt is ReportFormat.TEXT else err
    )
    return EXIT_FAILED if report.mandatory or blocked else EXIT_OK


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


def build_parser() -> argparse.ArgumentParser:
    """The `sophia` parser: one subcommand per service, each with its own --help."""
    parser = argparse.ArgumentParser(
        prog="sophia",
        description=(
            "The Sophia AI data platform: offline plan, policy check, destructive-change guard and the "
            "event receiver."
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_plan(commands)
    _add_policy_check(commands)
    _add_guard(commands)
    add_inventory_command(commands)
    add_hooks_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    args = build_parser().parse_args(argv)
    return args.run(args, Console(width=120), Console(stderr=True, width=120))


def _add_plan(commands: argparse._SubParsersAction) -> None:
    command = _subcommand(
        commands,
        "plan",
        "plan a stack offline (no credentials, CLI or network) and check the policy pack",
        "Runs __main__.py with Pulumi.<STACK>.yaml on Pulumi's mock engine, prints the component tree and the "
        "monthly credit ceilings, writes build/<STACK>/stack.json and rbac.mmd, and checks the policy pack "
        "with policies/config/<STACK>.json.",
        PLAN_EXITS,
    )
    command.add_argument(
        "stack", metavar="STACK", help="any stack with a Pulumi.<STACK>.yaml beside Pulumi.yaml"
    )
    command.add_argument(
        "--build-dir", type=Path, default=Path("build"), help="where to write (default: build)"
    )
    command.add_argument("--inventory", type=Path, metavar="FILE", help=INVENTORY_HELP)
    _add_common(command, ReportFormat)
    command.set_defaults(
        run=lambda a, out, err: plan(
            a.project_dir, a.stack, a.build_dir, ReportFormat(a.format), out, err, a.inventory
        )
    )


def _add_policy_check(commands: argparse._SubParsersAction) -> None:
    command = _subcommand(
        commands,
        "policy-check",
        "check any Pulumi stack export against the policy pack",
        "The offline `pulumi policy analyze --file`: runs the pack on a `pulumi stack export` file (or an "
        "offline plan's build/<stack>/stack.json) through pulumi-policy's own analyzer.",
        CHECK_EXITS,
    )
    command.add_argument("file", type=Path, metavar="FILE", help="a `pulumi stack export` JSON file")
    command.add_argument(
        "--policy-config",
        metavar="STACK|PATH",
        help="a stack name (policies/config/<STACK>.json) or a policy config file; default: the config of "
        "the stack the export's URNs name, if it has one, else the rule defaults",
    )
    _add_common(command, ReportFormat)
    command.set_defaults(
        run=lambda a, out, err: policy_check(
            a.file, a.policy_config, ReportFormat(a.format), a.project_dir, out, err
        )
    )


def _add_guard(commands: argparse._SubParsersAction) -> None:
    command = _subcommand(
        commands,
        "guard",
        "fail when a change deletes, replaces or re-creates a stateful resource",
        "Compares two offline plans (BASE_EXPORT, the base branch's, and HEAD_EXPORT, the pull request's) or "
        "reads `pulumi preview --json`. Databases, schemas, tables, dynamic tables, streams, stages and Airbyte "
        "sources, destinations and connections may not be deleted, replaced or moved to a new URN without an "
        f"alias, unless the allow file lists them (default: {DEFAULT_ALLOW_FILE}; entries: urn, change, reason).",
        GUARD_EXITS,
    )
    command.add_argument("exports", nargs="*", type=Path, metavar="EXPORT", help="BASE_EXPORT HEAD_EXPORT")
    command.add_argument(
        "--preview-json", type=Path, metavar="FILE", help="the output of `pulumi preview --json`"
    )
    command.add_argument(
        "--allow", type=Path, metavar="FILE", help=f"the allow file (default: ./{DEFAULT_ALLOW_FILE})"
    )
    _add_common(command, GUARD_FORMATS)

    def run(args: argparse.Namespace, out: Console, err: Console) -> int:
        by_plans = args.preview_json is None and len(args.exports) == 2
        by_preview = args.preview_json is not None and not args.exports
        if not (by_plans or by_preview):
            command.error("give either BASE_EXPORT HEAD_EXPORT or --preview-json FILE")
        return guard(
            args.exports, args.preview_json, args.allow, ReportFormat(args.format), args.project_dir, out, err
        )

    command.set_defaults(run=run)


def _subcommand(
    commands: argparse._SubParsersAction, name: str, summary: str, description: str, exits: str
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 88),
        epilog=exits,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_common(command: argparse.ArgumentParser, formats: Iterable[ReportFormat]) -> None:
    choices = [fmt.value for fmt in formats]
    command.add_argument(
        "--format",
        type=str.lower,
        choices=choices,
        default=ReportFormat.TEXT.value,
        help="; ".join(FORMAT_HELP[ReportFormat(choice)] for choice in choices),
    )
    command.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the project: Pulumi.yaml, stack files, policies/ (default: the current directory)",
    )


def _invalid(err: Console, what: str, error: Exception) -> int:
    err.print(what, style="bold red", markup=False, highlight=False)
    err.out(str(error), highlight=False)
    return EXIT_INVALID
