"""The `sophia inventory` subcommand and the plan's --inventory option, parsed without loading their work."""

import argparse
from pathlib import Path

INVENTORY_HELP = (
    "an inventory file (sophia inventory STACK --output FILE) to adopt from; overrides the stack's "
    "adoptFrom key. The plan then records each import id and writes the takeover report"
)
INVENTORY_EXITS = """exit codes:
  0  the inventory was written
  2  unknown stack or invalid stack config, missing sign-in variables, or a SHOW or Airbyte call refused"""


def add_inventory_command(commands: argparse._SubParsersAction) -> None:
    """Adds `sophia inventory` to the `sophia` parser; the SHOW statements load only when it runs."""
    command = commands.add_parser(
        "inventory",
        help="record what the account already holds in a stack's namespace (read-only)",
        description="Runs SHOW statements as the read-only role in SNOWFLAKE_ROLE and lists the Airbyte "
        "workspace, then writes the inventory a stack adopts from (adoptFrom, or sophia plan --inventory).",
        epilog=INVENTORY_EXITS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "stack", metavar="STACK", help="any stack with a Pulumi.<STACK>.yaml beside Pulumi.yaml"
    )
    command.add_argument(
        "--output", type=Path, required=True, metavar="FILE", help="where to write the inventory"
    )
    command.add_argument(
        "--project-dir", type=Path, default=Path("."), metavar="DIR", help="the project (default: .)"
    )
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace, out, err) -> int:
    from sophia.inventory import inventory

    return inventory(args.project_dir, args.stack, args.output, out, err)
