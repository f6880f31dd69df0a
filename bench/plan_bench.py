"""The offline plan, policy pack included, against the honest floor and the bare loop, as whole commands.

Run: `.venv/bin/python -m bench.plan_bench` (about 15 minutes; `--repeats 1 --sources 0 22` for a quick
look) on an otherwise idle machine. Every figure comes from this one run: each command is a process of its
own, started in turn (plan, floor, bare, plan, ...) so that drift in the machine's speed hits all three,
and the median of the repeats is reported with the largest peak memory seen.
"""

import argparse
import statistics
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.commands import (
    PROJECT_DIR,
    Timed,
    bare_command,
    floor_command,
    generated_project,
    plan_command,
    timed,
)

# Generated stacks with this many sources have about 240, 1,000, 4,000 and 7,300 resources: 200 sources is
# the most a stack config takes (stack/config.py), so 7,300 stands for the 8,000 mark.
SOURCE_COUNTS = (0, 22, 107, 200)
COLUMNS = ("resources", "plan s", "floor s", "bare s", "plan/floor", "plan/bare", "ms/resource",
           "plan/floor CPU", "plan/floor, same runtime", "plan MiB", "floor MiB")  # fmt: skip


def measure(project: Path, stack: str, build: Path, repeats: int) -> tuple[int, list[Timed], ...]:
    """Resources, then the plan's, the floor's, the bare loop's and the floor's in the plan's runtime, interleaved."""
    floor, count = floor_command(project, stack, build)
    commands = (
        plan_command(project, stack, build / "plans"),
        floor,
        bare_command(count),
        [*floor, "--same-runtime"],
    )
    runs: tuple[list[Timed], ...] = ([], [], [], [])
    for _ in range(repeats):
        for command, into in zip(commands, runs, strict=True):
            into.append(timed(command, PROJECT_DIR))
    return (count, *runs)


def row(
    label: str, count: int, plan: list[Timed], floor: list[Timed], bare: list[Timed], frozen: list[Timed]
) -> list[str]:
    """One line of the table: medians of the seconds, the largest peaks."""
    p, f, b, z = (statistics.median(t.seconds for t in runs) for runs in (plan, floor, bare, frozen))
    # CPU seconds move less than wall seconds when other work shares the machine.
    p_cpu, f_cpu = (statistics.median(t.cpu_seconds for t in runs) for runs in (plan, floor))
    return [
        label,
        str(count),
        f"{p:.2f}",
        f"{f:.2f}",
        f"{b:.2f}",
        f"{p / f:.2f}x",
        f"{p / b:.2f}x",
        f"{1000 * p / count:.2f}",
        f"{p_cpu / f_cpu:.2f}x",
        f"{p / z:.2f}x",
        f"{max(t.peak_mib for t in plan):.0f}",
        f"{max(t.peak_mib for t in floor):.0f}",
    ]


def main() -> None:
    """Measures every case, then prints the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sources", type=int, nargs="*", default=list(SOURCE_COUNTS))
    parser.add_argument("--no-shipped", action="store_true", help="leave out the shipped dev and prod stacks")
    options = parser.parse_args()
    table = Table(
        title=f"sophia plan vs. the floor and the bare loop (whole commands, median of {options.repeats})"
    )
    for column in ("stack", *COLUMNS):
        table.add_column(column, justify="left" if column == "stack" else "right")
    console = Console(width=140)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        cases = [(f"generated, {n} sources", generated_project(root, n), "dev") for n in options.sources]
        if not options.no_shipped:
            cases += [(f"shipped {stack}", PROJECT_DIR, stack) for stack in ("dev", "prod")]
        for label, project, stack in cases:
            cells = row(label, *measure(project, stack, root / "build", options.repeats))
            table.add_row(*cells)
            console.print(" | ".join(cells))  # as it comes, so that a cut-short run still says something
    console.print(table)


if __name__ == "__main__":
    main()
