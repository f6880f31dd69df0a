"""The offline engine reads each registration's inputs once, the mock engine's reading, and never another's.

The SDK calls the monitor from a pool of threads, so the inputs the mock engine read are handed over per
thread; a request holding an unknown is read again so that its unknowns are kept, as before.
"""

import textwrap
from pathlib import Path

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from offline import engine
from offline.engine import run_program

MANY = """
import pulumi

for index in range(60):
    pulumi.CustomResource(
        "test:index:Thing", f"thing-{index}", {"index": index, "nested": {"items": [f"item-{index}"] * (index % 3)}}
    )
"""

WITH_UNKNOWN = """
import pulumi
from pulumi.output import UNKNOWN

pulumi.CustomResource("test:index:Thing", "known", {"key": "value"})
pulumi.CustomResource("test:index:Thing", "unknown", {"key": UNKNOWN, "list": ["a", UNKNOWN]})
"""


def _run(tmp_path: Path, source: str) -> engine.ProgramRun:
    program = tmp_path / "__main__.py"
    program.write_text(textwrap.dedent(source))
    return run_program(program, "p", "s", {}, set())


class _CountingRpc:
    """The SDK's rpc module as the offline engine sees it, counting what the engine reads itself."""

    def __init__(self) -> None:
        self.reads = 0

    def __getattr__(self, name: str) -> object:
        return getattr(rpc, name)

    def deserialize_properties(self, *args: object, **kwargs: object) -> object:
        self.reads += 1
        return rpc.deserialize_properties(*args, **kwargs)


def _reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> tuple[int, engine.ProgramRun]:
    """How many property maps the offline engine read itself while running `source`, and the run."""
    counting = _CountingRpc()
    with monkeypatch.context() as patch:
        patch.setattr(engine, "rpc", counting)
        run = _run(tmp_path, source)
    return counting.reads, run


def test_each_resource_gets_its_own_inputs_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A program of no resources: what the engine reads whatever the program (the root stack and its outputs).
    baseline, _ = _reads(tmp_path, monkeypatch, "")
    reads, run = _reads(tmp_path, monkeypatch, MANY)
    things = [r for r in run.registrations if r.type == "test:index:Thing"]
    assert len(things) == 60
    for thing in things:
        index = int(thing.name.removeprefix("thing-"))
        expected = {"index": index, "nested": {"items": [f"item-{index}"] * (index % 3)}}
        assert thing.inputs == expected
        assert thing.outputs == expected
    assert reads == baseline  # every resource's inputs are the mock engine's reading, not read again


def test_a_request_holding_an_unknown_is_read_again_with_its_unknowns_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline, _ = _reads(tmp_path, monkeypatch, "")
    reads, run = _reads(tmp_path, monkeypatch, WITH_UNKNOWN)
    by_name = {r.name: r for r in run.registrations}
    assert isinstance(by_name["unknown"].inputs["key"], Unknown)
    assert by_name["unknown"].inputs["list"][0] == "a"
    assert isinstance(by_name["unknown"].inputs["list"][1], Unknown)
    assert by_name["known"].inputs == {"key": "value"}
    assert reads == baseline + 1  # the request with the unknowns, read again


WITH_REFERENCE = """
import pulumi

first = pulumi.CustomResource("test:index:Thing", "first", {"key": "value"})
pulumi.CustomResource("test:index:Thing", "second", {"ref": first, "refs": [first]})
"""


def test_a_request_holding_a_resource_reference_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The mock monitor supports resource references: the second request carries one, its signature on the wire.
    baseline, _ = _reads(tmp_path, monkeypatch, "")
    reads, run = _reads(tmp_path, monkeypatch, WITH_REFERENCE)
    by_name = {r.name: r for r in run.registrations}
    assert by_name["second"].inputs == {"ref": "first-id", "refs": ["first-id"]}
    assert by_name["first"].inputs == {"key": "value"}
    assert reads == baseline + 1  # the request with the reference, read again


def test_nothing_is_left_over_for_a_registration_the_mock_engine_does_not_read() -> None:
    mocks = engine.EchoMocks()
    assert mocks.take_inputs() is None
    mocks.new_resource(_args("a", {"k": 1}))
    assert mocks.take_inputs() == {"k": 1}
    assert mocks.take_inputs() is None  # handed over once


def _args(name: str, inputs: dict) -> object:
    import pulumi

    return pulumi.runtime.MockResourceArgs("test:index:Thing", name, inputs, "", "")


def test_two_runs_of_one_program_record_the_same_dependencies_in_the_same_order() -> None:
    """The SDK gathers dependencies in a set: unsorted, two plans of the same code wrote different exports."""
    from offline.stack_files import load_stack_files
    from tests.harness import PROJECT_DIR

    files = load_stack_files(PROJECT_DIR, "dev")
    runs = [
        run_program(files.program, files.project, files.stack, files.values, files.secret_keys) for _ in "ab"
    ]
    first, second = (
        {r.urn: (r.dependencies, r.property_dependencies) for r in run.registrations} for run in runs
    )
    assert first == second
    assert sum(len(deps) > 1 for deps, _ in first.values()) > 50  # orders that could differ
