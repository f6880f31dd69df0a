"""What `sophia plan` prints for machines (JSON) and for a step summary (markdown)."""

import io
from pathlib import Path
from typing import Any

from rich.console import Console

from offline.engine import ProgramRun
from offline.policy_report import PolicyReport, policy_json
from offline.report import print_plan
from stack.config import StackConfig


def plan_json(run: ProgramRun, export: Path, graph: Path, report: PolicyReport) -> dict[str, Any]:
    """The plan's summary as JSON: counts, files written, the policy result."""
    return {
        "stack": run.stack,
        "resources": sum(1 for r in run.registrations if r.custom),
        "monthlyCreditCeiling": run.stack_outputs.get("monthly_credit_ceiling"),
        "export": str(export),
        "rbacGraph": str(graph),
        "policy": policy_json(report),
    }


def plan_markdown(run: ProgramRun, config: StackConfig, export: Path, graph: Path, width: int) -> str:
    """The plan tree and credit table as the terminal shows them, in a fenced block for a step summary."""
    capture = Console(file=io.StringIO(), width=width, color_system=None, record=True)
    print_plan(run, config, capture)
    return (
        f"## Offline plan: `{run.stack}`\n\n```text\n{capture.export_text().rstrip()}\n```\n\n"
        f"Stack export: `{export}` · RBAC graph: `{graph}`"
    )
