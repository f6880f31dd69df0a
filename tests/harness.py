"""The test harness: runs the real program on the mock engine for a stack config, returns what it declared."""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.engine import STACK_TYPE, ProgramFailed, ProgramRun, run_program
from offline.stack_files import available_stacks, load_stack_files, strip_secure
from sophia.cli import plan
from stack.loader import ConfigError
from tests.planned import PlannedResource, planned_resources

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Every stack file there is: tests that hold for any stack run for each, so a new stack needs no test edit.
STACKS = available_stacks(PROJECT_DIR)
DELETE = object()


@dataclass
class Plan:
    """Every resource one run registered, with lookups by type and name."""

    resources: list[PlannedResource]
    stack_outputs: dict[str, Any]

    def of_type(self, resource_type: str) -> list[PlannedResource]:
        """All resources of one Pulumi type, e.g. `snowflake:index/warehouse:Warehouse`."""
        return [r for r in self.resources if r.type == resource_type]

    def named(self, resource_type: str, snowflake_name: str) -> PlannedResource:
        """The one resource of `resource_type` whose Snowflake `name` input is `snowflake_name`."""
        matches = [r for r in self.of_type(resource_type) if r.inputs.get("name") == snowflake_name]
        assert len(matches) == 1, f"{len(matches)} {resource_type} named {snowflake_name}"
        return matches[0]

    def by_urn(self, urn: str) -> PlannedResource:
        """The resource with this URN (parents and providers are referenced by URN)."""
        return next(r for r in self.resources if r.urn == urn)


def apply_overrides(values: dict[str, str], project: str, overrides: dict[str, Any]) -> dict[str, str]:
    """Sets (or, with DELETE, removes) config by dotted path: `warehouses.ETL.size` edits inside the JSON."""
    result = dict(values)
    for path, new_value in overrides.items():
        key, *inner = path.split(".")
        qualified = f"{project}:{key}"
        if not inner:
            if new_value is DELETE:
                result.pop(qualified, None)
            else:
                result[qualified] = new_value if isinstance(new_value, str) else json.dumps(new_value)
            continue
        document = json.loads(result[qualified])
        target = document
        for part in inner[:-1]:
            target = target[part]
        if new_value is DELETE:
            target.pop(inner[-1], None)
        else:
            target[inner[-1]] = new_value
        result[qualified] = json.dumps(document)
    return result


def run_stack(
    stack: str,
    overrides: dict[str, Any] | None = None,
    in_clear: frozenset[str] = frozenset(),
) -> ProgramRun:
    """Runs `__main__.py` with `Pulumi.<stack>.yaml`, overrides applied, `in_clear` keys not secret."""
    files = load_stack_files(PROJECT_DIR, stack)
    overrides = overrides or {}
    secure = {key for key, value in overrides.items() if strip_secure(value)[1]}
    values = apply_overrides(
        files.values,
        files.project,
        {key: strip_secure(value)[0] if key in secure else value for key, value in overrides.items()},
    )
    secret_keys = files.secret_keys | {f"{files.project}:{key}" for key in secure}
    secret_keys -= {f"{files.project}:{key}" for key in in_clear}
    return run_program(files.program, files.project, stack, values, secret_keys)


def plan_stack(
    stack: str,
    overrides: dict[str, Any] | None = None,
    in_clear: frozenset[str] = frozenset(),
) -> Plan:
    """What `run_stack` registered, as a Plan."""
    run = run_stack(stack, overrides, in_clear)
    return Plan(planned_resources(run), run.stack_outputs)


def failed_plan(
    stack: str, overrides: dict[str, Any], in_clear: frozenset[str] = frozenset()
) -> ProgramFailed:
    """Runs a stack expected to fail, returning the failure with what was registered before it."""
    with pytest.raises(ProgramFailed) as failure:
        plan_stack(stack, overrides, in_clear)
    return failure.value


def declared_resources(failure: ProgramFailed) -> list[str]:
    """URNs of everything but the root stack registered before the program failed."""
    return [r.urn for r in failure.registrations if r.type != STACK_TYPE]


def assert_config_refused(stack: str, overrides: dict[str, Any], fragments: list[str]) -> None:
    """A bad stack config stops the program with a ConfigError naming each fragment, before any resource."""
    failure = failed_plan(stack, overrides)
    assert isinstance(failure.cause, ConfigError)
    for fragment in fragments:
        assert fragment in str(failure.cause), f"{fragment!r} not in:\n{failure.cause}"
    assert declared_resources(failure) == []


def plan_edited_dev_stack(tmp_path: Path, replace: str, by: str) -> tuple[int, str]:
    """`sophia plan dev` on a copy of the project whose stack file has its first `replace` changed to `by`."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py", "policies/config/dev.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    stack_file = tmp_path / "Pulumi.dev.yaml"
    text = stack_file.read_text()
    assert replace in text
    stack_file.write_text(text.replace(replace, by, 1))
    errors = Console(record=True, width=1000)
    code = plan(
        tmp_path, "dev", tmp_path / "build", ReportFormat.TEXT, Console(record=True, width=1000), errors
    )
    return code, errors.export_text()
