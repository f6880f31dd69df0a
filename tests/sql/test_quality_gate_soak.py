"""A soak of the gate: 200 random micro-batches against a model of the truth, held exactly when they should be.

Each step Airbyte does something to RAW (syncs of new and changed records, some invalid, some with a value it
nulled; CDC deletes; a truncate refresh; a column added or dropped; a sync whose clock was behind, so its rows
commit below the watermark), then the gate runs. The model predicts from RAW alone whether the batch holds (an
undecided invalid row, or more removed than the delete guard allows) and what curated then holds; an operator
then fixes, releases or skips a held batch. At the end curated equals RAW, the deduplicated source, exactly.
"""

import os
import random
from datetime import timedelta
from typing import Any

import pytest

from models.quality_gate import GateSettings
from tests.sql.quality_gate_harness import GateWarehouse, RawStream

pytestmark = pytest.mark.long

STEPS = int(os.environ.get("GATE_SOAK_STEPS", "200"))
SETTINGS = GateSettings(max_delete_share=0.5, overlap_minutes=60)
NULLED = [{"field": "DURATION", "change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"}]


class Soak:
    """The source, the model of curated, and the operator, around one RAW stream."""

    def __init__(self, gate: GateWarehouse, calls: RawStream, rng: random.Random) -> None:
        self.gate, self.calls, self.rng = gate, calls, rng
        self.started = 0  # every new version of a record starts later: the cursor only grows
        self.curated: dict[str, dict[str, Any]] = {}  # the model: key -> the RAW row curated should hold
        self.set_aside: set[str] = set()  # raw ids skipped by the operator
        self.released: set[str] = set()
        self.columns: list[str] = []

    def record(self, key: str, bad: bool = False) -> dict[str, Any]:
        self.started += 1
        record: dict[str, Any] = {"ID": key, "SCOPE": "External"}
        record["STARTED"] = (
            self.gate.clock - timedelta(days=400) + timedelta(minutes=self.started)
        ).isoformat()
        record["DIRECTION"] = self.rng.choice(["Inbound", "Outbound"])
        record.update({column: f"v{self.started}" for column in self.columns})
        if bad and self.rng.random() < 0.5:
            record["DIRECTION"] = "Sideways"
        elif bad:
            record["_CHANGES"] = NULLED
        return record

    def airbyte_step(self, step: int) -> None:
        raw_keys = [row["ID"] for row in self.calls.rows()]
        roll = self.rng.random()
        if step in (40, 120):
            self.columns.append(f"TOPIC_{step}")
            self.calls.add_column(self.columns[-1], "VARCHAR")
        elif step == 160:
            self.calls.drop_column(self.columns.pop(0))
        elif step in (70, 150) and raw_keys:
            kept = [key for key in raw_keys if self.rng.random() < 0.9]
            self.calls.refresh(*(self.record(key) for key in kept))
        elif roll < 0.15 and len(raw_keys) > 2:
            self.calls.cdc_delete(self.rng.choice(raw_keys))
        elif roll < 0.25 and self.gate.watermark("GONG", "CALLS") is not None:
            late = self.gate.watermark("GONG", "CALLS") - timedelta(seconds=self.rng.randint(1, 1800))
            self.calls.sync({**self.record(self._key(raw_keys)), "_EXTRACTED_AT": late})
        else:
            keys = {self._key(raw_keys) for _ in range(self.rng.randint(1, 4))}
            self.calls.sync(*(self.record(key, bad=self.rng.random() < 0.08) for key in keys))

    def _key(self, raw_keys: list[str]) -> str:
        if raw_keys and self.rng.random() < 0.5:
            return self.rng.choice(raw_keys)
        return f"c{self.rng.randint(0, 10**6)}"

    def expected(self) -> tuple[bool, list[str]]:
        """Whether the next run holds, and the raw ids it fails on; the model follows a promotion."""
        raw = {row["ID"]: row for row in self.calls.rows()}
        bad = [
            row["_AIRBYTE_RAW_ID"]
            for row in raw.values()
            if _invalid(row)
            and row["_AIRBYTE_RAW_ID"] not in self.set_aside | self.released
            and self.curated.get(row["ID"], {}).get("_AIRBYTE_RAW_ID") != row["_AIRBYTE_RAW_ID"]
        ]
        gone = [row["_AIRBYTE_RAW_ID"] for key, row in self.curated.items() if key not in raw]
        gone = [raw_id for raw_id in gone if raw_id not in self.released]
        if len(gone) > SETTINGS.max_delete_share * len(self.curated):
            bad += gone
        return bool(bad), bad

    def promoted(self) -> None:
        raw = {row["ID"]: row for row in self.calls.rows()}
        self.curated = {
            key: row if row["_AIRBYTE_RAW_ID"] not in self.set_aside else self.curated[key]
            for key, row in raw.items()
            if row["_AIRBYTE_RAW_ID"] not in self.set_aside or key in self.curated
        }

    def check_curated(self) -> None:
        columns = [name for name in self.calls.rows()[0]] if self.calls.rows() else []
        actual = {row["ID"]: {c: row.get(c) for c in columns} for row in self.calls.curated_rows()}
        model = {key: {c: row.get(c) for c in columns} for key, row in self.curated.items()}
        assert actual == model

    def operator(self, failing: list[str]) -> None:
        """A held batch: the source fixes it, or an operator releases or skips its failing rows."""
        choice = self.rng.choice(["fix", "release", "skip"])
        if choice == "fix":
            raw = {row["_AIRBYTE_RAW_ID"]: row["ID"] for row in self.calls.rows()}
            fixed = {raw[raw_id] for raw_id in failing if raw_id in raw}
            if fixed:
                self.calls.sync(*(self.record(key) for key in fixed))
                return
            choice = "release"
        self.gate.decide("GONG", "CALLS", choice, f"soak: {choice}")
        (self.released if choice == "release" else self.set_aside).update(failing)


def _invalid(row: dict[str, Any]) -> bool:
    return row["DIRECTION"] == "Sideways" or '"NULLED"' in row["_AIRBYTE_META"]


def test_two_hundred_random_micro_batches_keep_curated_equal_to_the_model(
    gate: GateWarehouse, calls: RawStream
) -> None:
    soak = Soak(gate, calls, random.Random(16))
    held = 0
    for step in range(STEPS):
        soak.airbyte_step(step)
        holds, failing = soak.expected()
        [status] = gate.run(settings=SETTINGS)["CALLS"]
        assert (status == "held") == holds, (step, status, failing)
        if holds:
            held += 1
            decided = gate.results(gate.batches()[-1]["BATCH_ID"])
            assert all(r["PASSED"] or r["SEVERITY"] == "warn" or r["FAILING_ROWS"] for r in decided.values())
            soak.operator(failing)
        elif status != "up_to_date":
            soak.promoted()
        soak.check_curated()
    for row in calls.rows():  # the source corrects whatever is still invalid or set aside
        if _invalid(row) or row["_AIRBYTE_RAW_ID"] in soak.set_aside:
            calls.sync(soak.record(row["ID"]))
    gate.run(settings=SETTINGS)

    columns = list(calls.rows()[0])
    assert [{c: r.get(c) for c in columns} for r in calls.curated_rows()] == calls.rows()
    assert held >= STEPS // 20  # the soak did exercise holds
