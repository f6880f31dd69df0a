"""Offline plan + policy pack on generated stacks of ~100, ~1,000 and ~4,000 resources, against a bare loop.

Run: `.venv/bin/python -m bench.plan_bench` (a few minutes) on an otherwise idle machine. Every figure
comes from this one run. The shipped dev and prod stacks are timed the same way, for reference.
"""

import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from offline.engine import run_program
from offline.export import to_deployment
from offline.policy_check import check, load_policy_config
from offline.stack_files import load_stack_files

PROJECT_DIR = Path(__file__).resolve().parent.parent
BARE_PROGRAM = PROJECT_DIR / "bench" / "bare_program.py"
GENERATED_PROGRAM = PROJECT_DIR / "bench" / "generated_program.py"
# Generated stacks with this many sources have about 240, 1,000 and 4,000 resources.
SOURCE_COUNTS = (0, 22, 107)
REPEATS = 3


def _plan_and_check(program: Path, stack: str, extra: dict[str, str]) -> tuple[int, float, float]:
    """Resources, seconds for the program on the mock engine, seconds for the policy pack; best of REPEATS."""
    files = load_stack_files(PROJECT_DIR, stack)
    values = {**files.values, **extra}
    best_plan = best_check = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        run = run_program(program, files.project, stack, dict(values), files.secret_keys)
        planned = time.perf_counter()
        check(to_deployment(run)["deployment"]["resources"], load_policy_config(PROJECT_DIR, stack))
        checked = time.perf_counter()
        best_plan, best_check = min(best_plan, planned - start), min(best_check, checked - planned)
    return sum(r.custom for r in run.registrations), best_plan, best_check


def _bare(count: int) -> float:
    """Seconds for the bare loop registering `count` resources on the same mock engine; best of REPEATS."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        run_program(BARE_PROGRAM, "bench", "bare", {"bench:count": str(count - 1)}, set())
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Measures every size, then prints the table and the growth figure."""
    table = Table(title="Offline plan + policy pack vs. a bare registration loop (best of 3, one run)")
    table.add_column("stack")
    for column in (
        "resources",
        "plan s",
        "policies s",
        "total s",
        "ms/resource",
        "bare s",
        "plan/bare",
        "total/bare",
    ):
        table.add_column(column, justify="right")
    cases = [
        (f"generated, {n} sources", GENERATED_PROGRAM, "dev", {"bench:sources": str(n)})
        for n in SOURCE_COUNTS
    ]
    cases += [(f"shipped {stack}", PROJECT_DIR / "__main__.py", stack, {}) for stack in ("dev", "prod")]
    per_resource = []
    for label, program, stack, extra in cases:
        count, plan_seconds, check_seconds = _plan_and_check(program, stack, extra)
        bare_seconds = _bare(count)
        total = plan_seconds + check_seconds
        if label.startswith("generated"):
            per_resource.append(total / count)
        table.add_row(
            label,
            str(count),
            f"{plan_seconds:.2f}",
            f"{check_seconds:.2f}",
            f"{total:.2f}",
            f"{1000 * total / count:.2f}",
            f"{bare_seconds:.2f}",
            f"{plan_seconds / bare_seconds:.2f}x",
            f"{total / bare_seconds:.2f}x",
        )
    console = Console(width=120)
    console.print(table)
    console.print(
        f"growth: ms per resource, largest generated stack / smallest = {per_resource[-1] / per_resource[0]:.2f}"
    )


if __name__ == "__main__":
    main()
