"""Each declarable check kind on the emulator, from its file in check_kinds/: a batch that passes it is promoted,
a batch that fails it is held with exactly its failing rows. Adding a kind adds a file here, not a test."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from models.quality_gate import DECLARABLE, QualityCheck
from tests.sql.quality_gate_harness import GateWarehouse, calls_stream

FOLDER = Path(__file__).parent / "check_kinds"
KEY_CHECKS = [{"check": "not_null", "columns": ["id", "started"]}, {"check": "unique"}]


class KindCase(BaseModel):
    """One kind's file: the check as a stream declares it, its name, a passing batch and a failing one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    declare: dict[str, Any]
    name: str
    passes: list[dict[str, Any]]
    fails: list[dict[str, Any]]


def _cases() -> dict[str, KindCase]:
    return {
        path.stem: KindCase.model_validate(yaml.safe_load(path.read_text())) for path in FOLDER.glob("*.yaml")
    }


CASES = _cases()


def test_every_declarable_kind_has_its_file_and_every_file_its_kind() -> None:
    assert sorted(CASES) == sorted(kind.value for kind in DECLARABLE)
    for stem, case in CASES.items():
        assert QualityCheck.model_validate(case.declare).check == stem, f"{stem}.yaml declares another kind"
        assert case.passes and case.fails, f"{stem}.yaml needs a passing and a failing batch"


def _records(rows: list[dict[str, Any]], first: int) -> list[dict[str, Any]]:
    """Gong calls with fresh keys, each carrying the case's fields."""
    return [
        {"ID": f"c{first + n}", "STARTED": "2024-05-01T10:00:00+00:00", **row} for n, row in enumerate(rows)
    ]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_passing_batch_is_promoted_and_a_failing_one_held(gate: GateWarehouse, kind: str) -> None:
    case = CASES[kind]
    stream = gate.stream("GONG", calls_stream(checks=[*KEY_CHECKS, case.declare]))
    stream.land()

    stream.sync(*_records(case.passes, 0))
    assert gate.run() == {"CALLS": ["promoted"]}
    passed = gate.results(gate.batches()[-1]["BATCH_ID"])[case.name]
    assert (passed["PASSED"], passed["ROWS_CHECKED"], passed["FAILING_ROWS"]) == (True, len(case.passes), 0)

    raw_ids = stream.sync(*_records(case.fails, len(case.passes)))
    assert gate.run() == {"CALLS": ["held"]}
    results = gate.results(gate.batches()[-1]["BATCH_ID"])
    assert {name for name, result in results.items() if not result["PASSED"]} == {case.name}
    failed = results[case.name]
    assert failed["FAILING_ROWS"] == len(case.fails)
    assert {key["_AIRBYTE_RAW_ID"] for key in failed["FAILING_KEYS"]} == set(raw_ids)
