"""The export is written as json.dumps(indent=2) writes it: the same bytes for a plan, the same values always.

orjson writes it; where it would refuse a value or could write another one (NaN, infinity, keys that are not
strings, integers past 64 bits), json.dumps does, and what json.dumps refuses is refused still.
"""

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from offline import export
from offline.export import indented_json, to_deployment, write_export
from stack.sdk_internals import SECRET_SIG, SECRET_SIG_KEY
from tests.harness import run_stack

STDLIB_DUMPS = json.dumps  # kept before a test replaces json.dumps with its spy


def _stdlib(document: Any) -> bytes:
    return (STDLIB_DUMPS(document, indent=2) + "\n").encode()


@pytest.fixture
def stdlib_calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each document the fallback (json.dumps) wrote."""
    calls: list[Any] = []

    def dumps(document: Any, **kwargs: Any) -> str:
        calls.append(document)
        return STDLIB_DUMPS(document, **kwargs)

    monkeypatch.setattr(export.json, "dumps", dumps)
    return calls


def test_a_plans_export_is_the_same_bytes(tmp_path: Path, stdlib_calls: list[Any]) -> None:
    deployment = to_deployment(run_stack("dev"))
    stdlib_calls.clear()  # the program's own uses of json.dumps
    written = write_export(deployment, tmp_path / "dev" / "stack.json").read_bytes()
    assert stdlib_calls == []  # orjson wrote it
    assert written == _stdlib(deployment)


PLAIN = [
    {"a": [], "b": {}, "c": [[], {}], "d": [1.0, 0.0, -2.5, 30.800000000000004, 1e16, 1e300], "e": True},
    {"sql": "SELECT a FROM t WHERE b is null", "text": "x: null", "list": ["null", 'a"null"', "\n null"]},
    {"escapes": 'quote " backslash \\ newline \n tab \t nul \x00 unit \x1f bell \x07 \b \f \r'},
    {"int": 2**63 - 1, "negative": -(2**63), "nested": {"deep": [{"deeper": [1, 2, {"x": "y"}]}]}},
]


@pytest.mark.parametrize("document", PLAIN)
def test_plain_documents_are_the_same_bytes_without_the_fallback(
    document: Any, stdlib_calls: list[Any]
) -> None:
    assert indented_json(document) == _stdlib(document)
    assert stdlib_calls == []


@pytest.mark.parametrize(
    "document",
    [
        {"value": math.nan},
        {"values": [math.inf, -math.inf]},
        {1: "an integer key"},
        {"big": 2**70},
        {"a": None},
        [None, "x"],
    ],
)
def test_what_orjson_would_refuse_or_could_change_is_written_by_json(
    document: Any, stdlib_calls: list[Any]
) -> None:
    assert indented_json(document) == _stdlib(document)
    assert stdlib_calls != []


@pytest.mark.parametrize(
    "document",
    [{"name": "Zürich — naïve ☃"}, {"tiny": 1e-05, "tinier": 5e-324}, {"del": "a\x7fb", "sep": "\u2028"}],
)
def test_other_text_and_tiny_floats_keep_their_values(document: Any) -> None:
    assert json.loads(indented_json(document)) == document


@pytest.mark.parametrize("value", [datetime(2026, 1, 1, tzinfo=UTC), object()])
def test_what_json_refuses_is_refused(value: object) -> None:
    with pytest.raises(TypeError):
        indented_json({"value": value})


def test_a_custom_resources_outputs_are_its_inputs_encoded_and_a_components_its_own() -> None:
    run = run_stack("dev")
    by_urn = {resource["urn"]: resource for resource in to_deployment(run)["deployment"]["resources"]}
    custom = [by_urn[registration.urn] for registration in run.registrations if registration.custom]
    assert custom and all(resource["outputs"] == resource["inputs"] for resource in custom)
    # A secret input is written as the offline envelope on both sides, never as its value.
    secret = {SECRET_SIG_KEY: SECRET_SIG, "ciphertext": export.OFFLINE_CIPHERTEXT}
    hiding = [r for r in custom if secret in r["inputs"].values()]
    assert hiding and all(secret in r["outputs"].values() for r in hiding)
    components = [
        by_urn[r.urn]
        for r in run.registrations
        if not r.custom and r.outputs and r.type != "pulumi:pulumi:Stack"
    ]
    assert any(resource["outputs"] != resource["inputs"] for resource in components)
