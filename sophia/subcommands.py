"""How a `sophia` subcommand is declared: its parser with exit codes, and the arguments several share."""

import argparse
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A subcommand's work: (parsed arguments, stdout console, stderr console) -> exit code.
Run = Callable[[argparse.Namespace, Any, Any], int]


def subcommand(
    commands: argparse._SubParsersAction, name: str, summary: str, description: str, exits: str, run: Run
) -> argparse.ArgumentParser:
    """A subcommand whose --help shows its description wrapped and its exit codes as written."""
    command = commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 88),
        epilog=exits,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(run=run)
    return command


def add_stack(command: argparse.ArgumentParser) -> None:
    """The STACK a command works on."""
    command.add_argument(
        "stack", metavar="STACK", help="any stack with a Pulumi.<STACK>.yaml beside Pulumi.yaml"
    )


def add_project_dir(command: argparse.ArgumentParser) -> None:
    """--project-dir: where Pulumi.yaml is."""
    command.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the project: Pulumi.yaml, stack files, policies/ (default: the current directory)",
    )
