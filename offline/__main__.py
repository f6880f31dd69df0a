"""`python -m offline plan STACK`: the offline plan of a stack, with no credentials, CLI or network."""

import argparse
import sys
from pathlib import Path

from rich.console import Console

from components.stack_config import ConfigError, load_stack_config
from offline.engine import run_program
from offline.export import write_export
from offline.mermaid import rbac_mermaid
from offline.report import print_plan
from offline.stack_files import StackFileError, load_stack_files
from policies.sophia_policies.access_graph import build_access_graph

EXIT_OK, EXIT_POLICY, EXIT_INVALID = 0, 1, 2


def plan(project_dir: Path, stack: str, build_dir: Path, console: Console, errors: Console) -> int:
    """Validates the config, runs the program on the mock engine, writes the export and RBAC graph, prints the plan."""
    try:
        files = load_stack_files(project_dir, stack)
        config = load_stack_config(files.project, files.values, files.secret_keys)
    except (StackFileError, ConfigError) as error:
        errors.print(f"[bold red]invalid stack config for {stack}[/]\n{error}", highlight=False)
        return EXIT_INVALID
    run = run_program(files.program, files.project, files.stack, files.values, files.secret_keys)
    export = write_export(run, build_dir / stack / "stack.json")
    graph_file = build_dir / stack / "rbac.mmd"
    graph_file.write_text(rbac_mermaid(build_access_graph((r.type, r.inputs) for r in run.registrations)))
    print_plan(run, config, console)
    console.print(f"stack export: {export}\nRBAC graph:   {graph_file}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m offline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan_parser = commands.add_parser("plan", help="plan a stack offline")
    plan_parser.add_argument("stack", help="stack name: any Pulumi.<stack>.yaml beside Pulumi.yaml")
    plan_parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    plan_parser.add_argument("--build-dir", type=Path, default=Path("build"))
    args = parser.parse_args(argv)
    return plan(
        args.project_dir, args.stack, args.build_dir, Console(width=120), Console(stderr=True, width=120)
    )


if __name__ == "__main__":
    sys.exit(main())
