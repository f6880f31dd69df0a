"""The commands the plan benchmark times, each a whole process: the plan, the honest floor, the bare loop.

- the plan: `sophia plan <stack>` (program on the mock engine, export, RBAC graph, policy pack, report);
  a generated stack is planned the same way from a project directory of its own (`generated_project`);
- the floor: `bench/floor_program.py` registering the plan's resources directly on Pulumi's mock engine;
- the bare loop: `bench/bare_program.py` registering as many schemas, on the project's engine.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.manifest import write_manifest
from offline.engine import run_program
from offline.stack_files import load_stack_files

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "bench"
PYTHON = sys.executable
SOPHIA = str(Path(sys.executable).with_name("sophia"))
GENERATED_PROGRAM = BENCH_DIR / "generated_program.py"
TIME = "/usr/bin/time"  # GNU time, for the peak resident memory of the command alone
# Every command runs as Python runs by default, writing and reusing its bytecode caches: a machine set to
# write none (PYTHONDONTWRITEBYTECODE) would make the plan compile each of its modules on every run while
# the floor, whose libraries were compiled when installed, compiles only itself.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Timed:
    """One run of a command: wall and CPU (user + system) seconds and the peak resident memory of its process."""

    seconds: float
    peak_mib: float
    cpu_seconds: float = 0.0


def timed(command: list[str], cwd: Path) -> Timed:
    """Runs `command` to its end, its output discarded; GNU time reports the command's own peak memory.

    (The kernel's per-child figure would not do: a child forked from this process starts with its size.)
    """
    start = time.perf_counter()
    done = subprocess.run(
        [TIME, "-f", "peak-kib %M cpu %U %S", *command],
        cwd=cwd,
        env=ENVIRONMENT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: a plan with a policy violation still planned
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    line = next(line for line in reversed(done.stderr.decode().splitlines()) if line.startswith("peak-kib "))
    _, peak, _, user, system = line.split()
    return Timed(seconds, int(peak) / 1024, float(user) + float(system))


def generated_project(root: Path, sources: int) -> Path:
    """A project directory whose dev stack is the generated program with `sources` sources."""
    project = root / f"generated-{sources}"
    (project / "program").mkdir(parents=True, exist_ok=True)
    (project / "policies" / "config").mkdir(parents=True, exist_ok=True)
    shutil.copy(GENERATED_PROGRAM, project / "program" / "__main__.py")
    shutil.copy(
        PROJECT_DIR / "policies" / "config" / "dev.json", project / "policies" / "config" / "dev.json"
    )
    (project / "Pulumi.yaml").write_text(
        (PROJECT_DIR / "Pulumi.yaml").read_text() + f"main: {project / 'program'}\n"
    )
    stack_file = (PROJECT_DIR / "Pulumi.dev.yaml").read_text()
    (project / "Pulumi.dev.yaml").write_text(
        stack_file.replace("config:\n", f"config:\n  bench:sources: '{sources}'\n", 1)
    )
    return project


def plan_command(project: Path, stack: str, build: Path) -> list[str]:
    """`sophia plan` exactly as a user runs it."""
    return [SOPHIA, "plan", stack, "--project-dir", str(project), "--build-dir", str(build)]


def floor_command(project: Path, stack: str, build: Path) -> tuple[list[str], int]:
    """The floor's command for the plan of `stack`, and how many resources the plan registered."""
    files = load_stack_files(project, stack)
    run = run_program(files.program, files.project, files.stack, files.values, files.secret_keys)
    manifest = write_manifest(run, build / f"{project.name}-{stack}-manifest.json")
    count = sum(1 for r in json.loads(manifest.read_text())["resources"] if r["custom"])
    return [PYTHON, str(BENCH_DIR / "floor_program.py"), str(manifest)], count


def bare_command(count: int) -> list[str]:
    """The bare loop registering `count` resources (a provider and count - 1 schemas)."""
    return [PYTHON, "-m", "bench.run_bare", str(count)]
