"""Shared fixtures: the shipped stacks, planned once per session on the mock engine."""

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.engine import ProgramRun
from sophia import plan_command
from sophia.cli import EXIT_OK, plan
from tests.harness import PROJECT_DIR, Plan, plan_stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `long` go first, in their own order: spread over workers, none is then left to run alone."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(scope="session", autouse=True)
def each_program_runs_once() -> Iterator[None]:
    """`sophia plan` runs a program once per session for one program text and config: a run is deterministic.

    Tests that copy the project to change a policy config or an output format then plan without running
    the same program again; a changed stack file or program is another key, and runs.
    """
    real = plan_command.run_program
    runs: dict[tuple[Any, ...], ProgramRun] = {}

    def once(
        program: Path, project: str, stack: str, values: dict[str, str], secret_keys: set[str]
    ) -> ProgramRun:
        key = (program.read_text(), project, stack, tuple(sorted(values.items())), frozenset(secret_keys))
        if key not in runs:
            runs[key] = real(program, project, stack, values, secret_keys)
        return runs[key]

    plan_command.run_program = once
    yield
    plan_command.run_program = real


@pytest.fixture(scope="session")
def dev_plan() -> Plan:
    """The shipped dev stack, planned once per session."""
    return plan_stack("dev")


@pytest.fixture(scope="session")
def prod_plan() -> Plan:
    """The shipped prod stack, planned once per session."""
    return plan_stack("prod")


@pytest.fixture(params=["dev", "prod"])
def any_plan(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> Plan:
    """Each shipped stack in turn, for properties that must hold on both."""
    return {"dev": dev_plan, "prod": prod_plan}[request.param]


@pytest.fixture
def planner() -> Callable[..., Plan]:
    """`planner(stack, overrides)` plans a stack with config changed by dotted path."""
    return plan_stack


@pytest.fixture(scope="session")
def dev_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped dev stack's offline plan export, written once per session; copy it before changing it."""
    build = tmp_path_factory.mktemp("build")
    quiet = Console(file=io.StringIO())
    assert plan(PROJECT_DIR, "dev", build, ReportFormat.TEXT, quiet, quiet) == EXIT_OK
    return build / "dev" / "stack.json"
