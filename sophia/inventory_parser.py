"""The `sophia inventory` subcommand and the plan's --inventory option, parsed without loading their work."""

import argparse
from pathlib import Path

from sophia.subcommands import add_project_dir, add_stack, subcommand

INVENTORY_HELP = (
    "an inventory file (sophia inventory STACK --output FILE) to adopt from; overrides the stack's "
    "adoptFrom key. The plan then records each import id and writes the takeover report"
)
INVENTORY_EXITS = """exit codes:
  0  the inventory was written
  2  unknown stack or invalid stack config, missing sign-in variables, or a SHOW or Airbyte call refused"""


def add_inventory_command(commands: argparse._SubParsersAction) -> None:
    """Adds `sophia inventory` to the `sophia` parser; the SHOW statements load only when it runs."""
    command = subcommand(
        commands,
        "inventory",
        "record what the account already holds in a stack's namespace (read-only)",
        "Runs SHOW statements as the read-only role in SNOWFLAKE_ROLE and lists the Airbyte "
        "workspace, then writes the inventory a stack adopts from (adoptFrom, or sophia plan --inventory).",
        INVENTORY_EXITS,
        _run,
    )
    add_stack(command)
    command.add_argument(
        "--output", type=Path, required=True, metavar="FILE", help="where to write the inventory"
    )
    add_project_dir(command)


def _run(args: argparse.Namespace, out, err) -> int:
    from sophia.inventory import inventory

    return inventory(args.project_dir, args.stack, args.output, out, err)
