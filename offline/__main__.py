"""`python -m offline plan STACK` and `python -m offline policy-check FILE`: no credentials, CLI or network."""

import argparse
import sys
from pathlib import Path

from rich.console import Console

from offline.engine import run_program
from offline.export import to_deployment, write_export
from offline.mermaid import rbac_mermaid
from offline.policy_check import ExportError, check, load_export, load_policy_config
from offline.policy_report import print_violations, violations_json
from offline.report import print_plan
from offline.stack_files import StackFileError, load_stack_files
from policies.sophia_policies.access_graph import build_access_graph
from stack.loader import ConfigError, load_stack_config

EXIT_OK, EXIT_POLICY, EXIT_INVALID = 0, 1, 2


def plan(project_dir: Path, stack: str, build_dir: Path, console: Console, errors: Console) -> int:
    """Validates the config, runs the program on the mock engine, writes export and RBAC graph, checks policy."""
    try:
        files = load_stack_files(project_dir, stack)
        config = load_stack_config(files.project, files.values, files.secret_keys)
    except (StackFileError, ConfigError) as error:
        errors.print(f"[bold red]invalid stack config for {stack}[/]\n{error}", highlight=False)
        return EXIT_INVALID
    run = run_program(files.program, files.project, files.stack, files.values, files.secret_keys)
    deployment = to_deployment(run)
    export = write_export(deployment, build_dir / stack / "stack.json")
    graph_file = build_dir / stack / "rbac.mmd"
    graph_file.write_text(rbac_mermaid(build_access_graph((r.type, r.inputs) for r in run.registrations)))
    print_plan(run, config, console)
    console.print(f"stack export: {export}\nRBAC graph:   {graph_file}")
    violations = check(deployment["deployment"]["resources"], load_policy_config(project_dir, stack))
    print_violations(violations, console)
    return EXIT_POLICY if any(v.mandatory for v in violations) else EXIT_OK


def policy_check(
    export: Path, policy_config: str | None, as_json: bool, console: Console, errors: Console
) -> int:
    """The offline `pulumi policy analyze --file`: any stack export against the pack."""
    try:
        resources = load_export(export)
        config = load_policy_config(Path.cwd(), policy_config)
    except (ExportError, OSError, ValueError) as error:
        errors.print(f"[bold red]cannot check {export}[/]: {error}", highlight=False)
        return EXIT_INVALID
    violations = check(resources, config)
    if as_json:
        console.out(violations_json(violations))
    else:
        print_violations(violations, console)
    return EXIT_POLICY if any(v.mandatory for v in violations) else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m offline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan_parser = commands.add_parser("plan", help="plan a stack offline and check the policy pack")
    plan_parser.add_argument("stack", help="stack name: any Pulumi.<stack>.yaml beside Pulumi.yaml")
    plan_parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    plan_parser.add_argument("--build-dir", type=Path, default=Path("build"))
    check_parser = commands.add_parser("policy-check", help="check any Pulumi stack export against the pack")
    check_parser.add_argument("file", type=Path, help="a `pulumi stack export` JSON file")
    check_parser.add_argument(
        "--policy-config", help="a stack name (policies/config/<stack>.json) or a policy config JSON file"
    )
    check_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    console, errors = Console(width=120), Console(stderr=True, width=120)
    if args.command == "plan":
        return plan(args.project_dir, args.stack, args.build_dir, console, errors)
    return policy_check(args.file, args.policy_config, args.json, console, errors)


if __name__ == "__main__":
    sys.exit(main())
