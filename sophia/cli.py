"""The `sophia` command: the offline plan, the policy check of any stack export, the destructive-change guard.

This module only parses: each command's work is imported when it runs (sophia/commands.py), so `--help`
answers without loading Pulumi.
"""

import argparse
import gc
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from offline.ci_formats import DEFAULT_ALLOW_FILE, GUARD_FORMATS, ReportFormat
from sophia.exits import EXIT_FAILED, EXIT_INVALID, EXIT_OK
from sophia.inventory_parser import INVENTORY_HELP, add_inventory_command
from sophia.receiver.cli import add_receiver_command
from sophia.subcommands import add_project_dir, add_stack, subcommand

__all__ = ["EXIT_FAILED", "EXIT_INVALID", "EXIT_OK", "build_parser", "main"]
# The commands' work, importable from here as before; loaded on first use.
_COMMANDS = ("plan", "policy_check", "policy_config", "guard", "new_stack")
# The one-shot commands, and the collector's thresholds for them (the server keeps Python's own).
BATCH_COMMANDS = ("plan", "policy-check", "guard")
BATCH_GC_THRESHOLD = (50_000, 1_000, 1_000)
EXIT_CODES = """exit codes:
  0  clean: no mandatory policy violation, no blocked destructive change
  1  a mandatory policy violation, or a destructive change nobody allowed
  2  bad input: stack config, catalog, unknown stack, unreadable export, preview, policy config or allow file"""
PLAN_EXITS = """exit codes:
  0  the plan was made and no mandatory policy rule is violated (advisory ones are shown)
  1  a mandatory policy violation; the plan files are written all the same
  1  also: with an inventory, a destructive adoption the allow file does not list
  2  invalid stack config, unknown stack, unusable inventory or a refused catalog (stderr names the key and what is wrong)"""
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
    _add_policy_config(commands)
    _add_guard(commands)
    add_inventory_command(commands)
    _add_new_stack(commands)
    add_receiver_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    args = build_parser().parse_args(argv)
    from rich.console import Console  # not needed to parse or to print --help

    with _collector(args.command, own_process=argv is None):
        try:
            return args.run(args, Console(width=120), Console(stderr=True, width=120))
        except Exception as error:
            from catalog.declared import CatalogError  # the catalog is validated when a command's work loads

            if not isinstance(error, CatalogError):
                raise
            print(f"invalid catalog\n{error}", file=sys.stderr)
            return EXIT_INVALID


@contextmanager
def _collector(command: str, own_process: bool) -> Iterator[None]:
    """Python's cyclic collector as a one-shot command wants it, the caller's settings back after.

    A plan builds a few hundred thousand objects that live until it ends; at the default thresholds (700, 10,
    10) the collector runs some 900 times a plan and frees little. In a caller's process (tests, tools) the
    command collects its young objects less often and never re-reads the older ones, where what the plan
    built ends up (4,066 resources: 1.3 s of collection -> 0.7-0.8 s, peak memory the same). A process that
    ends with the command (the console script passes no argv) runs no collection at all: even those would
    scan each object once or more, 1.3 to 2 s of a 4,000-resource plan, to free a tenth of its memory; nor
    the exit's full one, frozen objects being left to reference counting and the exit.
    """
    if command not in BATCH_COMMANDS:
        yield
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    if own_process:
        gc.disable()
    try:
        yield
    finally:
        if own_process:
            gc.freeze()
        else:
            gc.set_threshold(*thresholds)


def _add_plan(commands: argparse._SubParsersAction) -> None:
    command = subcommand(
        commands,
        "plan",
        "plan a stack offline (no credentials, CLI or network) and check the policy pack",
        "Runs __main__.py with Pulumi.<STACK>.yaml on Pulumi's mock engine, prints the component tree and the "
        "monthly credit ceilings, writes build/<STACK>/stack.json and rbac.mmd, and checks the policy pack "
        "with policies/config/<STACK>.json.",
        PLAN_EXITS,
        lambda a, out, err: _plan_command().plan(
            a.project_dir,
            a.stack,
            a.build_dir,
            ReportFormat(a.format),
            out,
            err,
            against=a.against,
            inventory=a.inventory,
        ),
    )
    add_stack(command)
    command.add_argument(
        "--build-dir", type=Path, default=Path("build"), help="where to write (default: build)"
    )
    command.add_argument(
        "--against",
        type=Path,
        metavar="OLD_EXPORT",
        help="an earlier export of the stack: print what would be created, updated, replaced and deleted",
    )
    command.add_argument("--inventory", type=Path, metavar="FILE", help=INVENTORY_HELP)
    _add_common(command, ReportFormat)


def _add_policy_check(commands: argparse._SubParsersAction) -> None:
    command = subcommand(
        commands,
        "policy-check",
        "check any Pulumi stack export against the policy pack",
        "The offline `pulumi policy analyze --file`: runs the pack on a `pulumi stack export` file (or an "
        "offline plan's build/<stack>/stack.json) through pulumi-policy's own analyzer.",
        CHECK_EXITS,
        lambda a, out, err: _commands().policy_check(
            a.file, a.policy_config, ReportFormat(a.format), a.project_dir, out, err
        ),
    )
    command.add_argument("file", type=Path, metavar="FILE", help="a `pulumi stack export` JSON file")
    command.add_argument(
        "--policy-config",
        metavar="STACK|PATH",
        help="a stack name (policies/config/<STACK>.json) or a policy config file; default: the config of "
        "the stack the export's URNs name, if it has one, else the rule defaults",
    )
    _add_common(command, ReportFormat)


def _add_policy_config(commands: argparse._SubParsersAction) -> None:
    command = subcommand(
        commands,
        "policy-config",
        "write a stack's policy config for `pulumi preview --policy-pack-config`",
        "Derives each rule's settings from Pulumi.<STACK>.yaml (role names from namePrefix, network ranges from "
        "serviceUsers, thresholds by environment), puts policies/config/<STACK>.json on top when it exists, and "
        "writes the result: the config `sophia plan` checks with, for the real CI.",
        "exit codes:\n  0  the config was written\n  2  no such stack, or its stack file or policy config is bad",
        lambda a, out, err: _commands().policy_config(a.project_dir, a.stack, a.out, out, err),
    )
    add_stack(command)
    command.add_argument("--out", type=Path, required=True, metavar="FILE", help="the JSON file to write")
    add_project_dir(command)


def _add_guard(commands: argparse._SubParsersAction) -> None:
    command = subcommand(
        commands,
        "guard",
        "fail when a change deletes, replaces or re-creates a stateful resource",
        "Compares two offline plans (BASE_EXPORT, the base branch's, and HEAD_EXPORT, the pull request's) or "
        "reads `pulumi preview --json`. Databases, schemas, tables, dynamic tables, streams, stages and Airbyte "
        "sources, destinations and connections may not be deleted, replaced or moved to a new URN without an "
        f"alias, unless the allow file lists them (default: {DEFAULT_ALLOW_FILE}; entries: urn, change, reason).",
        GUARD_EXITS,
        lambda a, out, err: _run_guard(command, a, out, err),
    )
    command.add_argument("exports", nargs="*", type=Path, metavar="EXPORT", help="BASE_EXPORT HEAD_EXPORT")
    command.add_argument(
        "--preview-json", type=Path, metavar="FILE", help="the output of `pulumi preview --json`"
    )
    command.add_argument(
        "--allow", type=Path, metavar="FILE", help=f"the allow file (default: ./{DEFAULT_ALLOW_FILE})"
    )
    _add_common(command, GUARD_FORMATS)


def _run_guard(command: argparse.ArgumentParser, args: argparse.Namespace, out: Any, err: Any) -> int:
    by_plans = args.preview_json is None and len(args.exports) == 2
    by_preview = args.preview_json is not None and not args.exports
    if not (by_plans or by_preview):
        command.error("give either BASE_EXPORT HEAD_EXPORT or --preview-json FILE")
    return _commands().guard(
        args.exports, args.preview_json, args.allow, ReportFormat(args.format), args.project_dir, out, err
    )


def _add_new_stack(commands: argparse._SubParsersAction) -> None:
    command = subcommand(
        commands,
        "new-stack",
        "add a stack: copy a stack file with its names changed, and say what its ESC environment needs",
        "Writes Pulumi.<NAME>.yaml from Pulumi.<STACK>.yaml with namePrefix, the database name, the ESC "
        "environment and (for dev, staging, prod) environment changed, checks it as the plan would, and prints "
        "the secrets the new stack needs in the shape its ESC environment takes.",
        "exit codes:\n  0  the stack file was written\n  2  a bad name, no such STACK, or NAME exists already",
        lambda a, out, err: _commands().new_stack(a.project_dir, a.name, a.source, out, err),
    )
    command.add_argument("name", metavar="NAME", help="the new stack (lower case, e.g. staging)")
    command.add_argument("--from", dest="source", required=True, metavar="STACK", help="the stack to copy")
    add_project_dir(command)


def _add_common(command: argparse.ArgumentParser, formats: Iterable[ReportFormat]) -> None:
    choices = [fmt.value for fmt in formats]
    command.add_argument(
        "--format",
        type=str.lower,
        choices=choices,
        default=ReportFormat.TEXT.value,
        help="; ".join(FORMAT_HELP[ReportFormat(choice)] for choice in choices),
    )
    add_project_dir(command)


def _commands() -> Any:
    """The module that does the commands' work, imported when a command runs."""
    from sophia import commands

    return commands


def _plan_command() -> Any:
    """The plan's own module: a plan loads neither the guard nor the other commands' work."""
    from sophia import plan_command

    return plan_command


def __getattr__(name: str) -> Any:
    if name in _COMMANDS:
        return getattr(_commands(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
