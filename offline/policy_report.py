"""Prints policy violations for people (a table) or for tools (JSON)."""

import json

from rich.console import Console
from rich.table import Table

from offline.policy_check import Violation


def print_violations(violations: list[Violation], console: Console) -> None:
    """Mandatory first; each with resource, rule, severity, message and remediation."""
    mandatory = sum(v.mandatory for v in violations)
    if not violations:
        console.print("[bold green]policy pack: no violations[/]")
        return
    table = Table(title=f"Policy violations: {mandatory} mandatory, {len(violations) - mandatory} advisory",
                  title_justify="left", show_lines=True)  # fmt: skip
    for column in ("level", "rule", "resource", "message", "remediation"):
        table.add_column(column, overflow="fold")
    for violation in sorted(violations, key=lambda v: (not v.mandatory, v.rule, v.urn)):
        level = "[red]mandatory[/]" if violation.mandatory else "[yellow]advisory[/]"
        rule = f"{violation.rule}\n[dim]{violation.severity} {violation.framework}[/]"
        resource = violation.urn.rsplit("::", 1)[-1] or "(stack)"
        table.add_row(level, rule, resource, violation.message, violation.remediation)
    console.print(table)


def violations_json(violations: list[Violation]) -> str:
    """The JSON report: counts and every violation."""
    return json.dumps(
        {
            "mandatory": sum(v.mandatory for v in violations),
            "advisory": sum(not v.mandatory for v in violations),
            "violations": [v.to_json() for v in violations],
        },
        indent=2,
    )
