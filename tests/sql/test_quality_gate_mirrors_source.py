"""The gate on the emulator against what Airbyte does to RAW besides adding rows: deletes, refreshes, late rows,
schema changes mid-run, values it could not type; and operator decisions that name their batch."""

from datetime import timedelta
from typing import Any

import pytest

from models.quality_gate import GateSettings, Severity
from tests.sql.quality_gate_harness import OBJECTS, GateWarehouse, RawStream

CALL = {"STARTED": "2024-05-01T10:00:00+00:00", "DIRECTION": "Inbound", "SCOPE": "External"}
NULLED = {"field": "DURATION", "change": "NULLED", "reason": "DESTINATION_SERIALIZATION_ERROR"}


def call(call_id: str, **fields: Any) -> dict[str, Any]:
    """A Gong call record as the source sends it."""
    return {"ID": call_id, **CALL, **fields}


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["ID"] for row in rows]


def failing(gate: GateWarehouse, check: str) -> list[str]:
    """The keys the latest batch's result lists as failing `check`."""
    result = gate.results(gate.batches()[-1]["BATCH_ID"])[check]
    return [key["ID"] for key in result["FAILING_KEYS"]]


def test_a_cdc_delete_reaches_curated_with_its_batch(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2"), call("c3"))
    gate.run()
    calls.cdc_delete("c2")

    assert gate.run() == {"CALLS": ["promoted"]}
    assert ids(calls.curated_rows()) == ["c1", "c3"] == ids(calls.rows())
    assert (gate.batches()[-1]["DELETED_ROWS"], gate.batches()[-1]["ROWS_IN_BATCH"]) == (1, 0)


def test_a_refresh_leaves_curated_equal_to_the_new_generation(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2"), call("c3"))
    gate.run()
    calls.refresh(call("c1", SCOPE="Internal"), call("c3"))

    assert gate.run() == {"CALLS": ["promoted"]}
    assert calls.curated_rows() == calls.rows()
    assert {row["_AIRBYTE_GENERATION_ID"] for row in calls.curated_rows()} == {2}
    batch = gate.batches()[-1]
    assert (batch["DELETED_ROWS"], batch["MAX_GENERATION_ID"]) == (1, 2)


def test_a_delete_waits_with_a_held_batch_and_lands_with_it(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2"))
    gate.run()
    calls.cdc_delete("c1")
    calls.sync(call("c3", DIRECTION="Sideways"))

    assert gate.run() == {"CALLS": ["held"]}
    assert ids(calls.curated_rows()) == ["c1", "c2"]
    calls.sync(call("c3", STARTED="2024-05-02T10:00:00+00:00"))  # the source fixed it
    assert gate.run() == {"CALLS": ["promoted"]}
    assert calls.curated_rows() == calls.rows() and ids(calls.rows()) == ["c2", "c3"]


def test_a_batch_that_would_delete_too_much_of_curated_is_held(gate: GateWarehouse, calls: RawStream) -> None:
    guarded = GateSettings(max_delete_share=0.5)
    calls.sync(*(call(f"c{n}") for n in range(4)))
    gate.run(settings=guarded)
    calls.refresh(call("c0"))  # a refresh of a source that came back nearly empty

    assert gate.run(settings=guarded) == {"CALLS": ["held"]}
    assert len(calls.curated_rows()) == 4
    assert sorted(failing(gate, "delete_share(ID)")) == ["c1", "c2", "c3"]
    gate.decide("GONG", "CALLS", "release", "the source really archived them")
    assert gate.run(settings=guarded) == {"CALLS": ["released"]}
    assert calls.curated_rows() == calls.rows() and gate.batches()[-1]["DELETED_ROWS"] == 3


def test_a_row_committed_below_the_watermark_is_promoted(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"))
    gate.run()
    watermark = gate.watermark("GONG", "CALLS")
    calls.sync(call("c2", _EXTRACTED_AT=watermark - timedelta(seconds=5)))  # a sync whose clock was behind

    assert gate.run() == {"CALLS": ["promoted"]}
    assert calls.curated_rows() == calls.rows() and ids(calls.rows()) == ["c1", "c2"]
    assert gate.run() == {"CALLS": ["up_to_date"]}  # the window is read again, nothing is promoted twice


def test_a_row_committed_before_the_window_is_reported(gate: GateWarehouse, calls: RawStream) -> None:
    window = GateSettings(overlap_minutes=10)
    calls.sync(call("c1"))
    gate.run(settings=window)
    watermark = gate.watermark("GONG", "CALLS")
    calls.sync(call("c2", _EXTRACTED_AT=watermark - timedelta(hours=2)))  # a restore of an old backup
    calls.sync(call("c3"))

    assert gate.run(settings=window) == {"CALLS": ["promoted"]}
    assert ids(calls.curated_rows()) == ["c1", "c3"]
    late = gate.results(gate.batches()[-1]["BATCH_ID"])["late_rows(STARTED)"]
    assert (late["PASSED"], late["SEVERITY"], failing(gate, "late_rows(STARTED)")) == (False, "warn", ["c2"])


def test_a_column_airbyte_adds_while_the_gate_starts_keeps_its_values(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync(call("c1"))
    gate.run()
    landed: list[bool] = []

    def airbyte_alters_and_merges(sql: str) -> None:
        if "ROWS_IN_BATCH" in sql and not landed:  # after the gate read RAW's columns, before it bounds
            landed.append(True)
            calls.add_column("TOPIC", "VARCHAR")
            calls.sync(call("c2", TOPIC="pricing"))

    gate.session.before.append(airbyte_alters_and_merges)
    calls.sync(call("c0", STARTED="2024-05-02T10:00:00+00:00"))
    gate.run()
    gate.session.before.clear()
    gate.run()

    assert {row["ID"]: row["TOPIC"] for row in calls.curated_rows()} == {
        "c0": None,
        "c1": None,
        "c2": "pricing",
    }


def test_a_dropped_column_is_cleared_on_rows_updated_after(gate: GateWarehouse, calls: RawStream) -> None:
    calls.add_column("TOPIC", "VARCHAR")
    calls.sync(call("c1", TOPIC="pricing"), call("c2", TOPIC="renewal"))
    gate.run()
    calls.drop_column("TOPIC")
    calls.sync(call("c1", STARTED="2024-05-02T10:00:00+00:00", SCOPE="Internal"))

    assert gate.run() == {"CALLS": ["promoted"]}
    rows = {row["ID"]: (row["SCOPE"], row["TOPIC"]) for row in calls.curated_rows()}
    assert rows == {"c1": ("Internal", None), "c2": ("External", "renewal")}


@pytest.mark.parametrize(("severity", "status"), [(Severity.ERROR, "held"), (Severity.WARN, "promoted")])
def test_a_value_airbyte_nulled_is_caught_by_the_meta_check(
    gate: GateWarehouse, calls: RawStream, severity: Severity, status: str
) -> None:
    calls.sync(call("c1"), call("c2", _CHANGES=[NULLED]))

    assert gate.run(settings=GateSettings(meta_severity=severity)) == {"CALLS": [status]}
    result = gate.results(gate.batches()[-1]["BATCH_ID"])["airbyte_meta(_AIRBYTE_META)"]
    assert (result["PASSED"], result["SEVERITY"], result["FAILING_ROWS"]) == (False, severity.value, 1)
    assert failing(gate, "airbyte_meta(_AIRBYTE_META)") == ["c2"]


def test_skip_leaves_out_only_the_failing_rows(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2", DIRECTION="Sideways"))
    gate.run()
    calls.sync(call("c3"))  # good rows pile up behind the held one
    assert gate.run() == {"CALLS": ["held"]}
    gate.decide("GONG", "CALLS", "skip", "a test call from the Gong sandbox")

    assert gate.run() == {"CALLS": ["skipped"]}
    assert ids(calls.curated_rows()) == ["c1", "c3"] and ids(calls.rows()) == ["c1", "c2", "c3"]
    assert gate.run() == {"CALLS": ["up_to_date"]}  # the skipped row is not checked again
    calls.sync(call("c2", STARTED="2024-05-02T10:00:00+00:00"))  # a later version of it is
    assert gate.run() == {"CALLS": ["promoted"]} and calls.curated_rows() == calls.rows()


def test_a_decision_on_a_batch_no_longer_held_is_refused(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1", DIRECTION="Sideways"))
    gate.run()
    seen = gate.held()[0]["BATCH_ID"]  # what the operator looked at
    calls.sync(call("c2", DIRECTION="Upwards"))
    gate.run()  # the scheduled run holds a bigger batch meanwhile

    with pytest.raises(ValueError, match=f"batch {seen} is not the one GONG.CALLS holds now"):
        gate.decide("GONG", "CALLS", "release", "Sideways is fine", batch_id=seen)
    assert ids(calls.curated_rows()) == []


def test_a_decision_recorded_during_a_run_that_reholds_is_refused_when_applied(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync(call("c1", DIRECTION="Sideways"))
    gate.run()
    seen = gate.held()[0]["BATCH_ID"]
    calls.sync(call("c2", DIRECTION="Upwards"))

    def operator_decides_meanwhile(sql: str) -> None:
        if sql.lstrip().startswith("UPDATE GATE_TEST.SOPHIA_OPS.QUALITY_GATE_BATCHES") and seen:
            gate.decide("GONG", "CALLS", "release", "Sideways is fine", batch_id=seen.pop())

    seen_ids = [seen]
    seen = seen_ids  # type: ignore[assignment]
    gate.session.before.append(operator_decides_meanwhile)
    assert gate.run() == {"CALLS": ["held"]}
    gate.session.before.clear()

    assert gate.run() == {"CALLS": ["held"]}  # the release covered c1 only, and c2 was never looked at
    [decision] = gate.execute(f"SELECT * FROM {OBJECTS.ops('QUALITY_GATE_DECISIONS')}")
    assert decision["OUTCOME"].startswith("refused: batch") and ids(calls.curated_rows()) == []
    assert sorted(failing(gate, "accepted_values(DIRECTION)")) == ["c1", "c2"]


def test_each_batch_locks_its_stream_before_it_reads_the_watermark(
    gate: GateWarehouse, calls: RawStream
) -> None:
    executed: list[str] = []
    gate.session.before.append(executed.append)
    calls.sync(call("c1"))
    gate.run()

    heads = [sql.split("\n")[0] for sql in executed]
    begin = heads.index("BEGIN TRANSACTION")
    assert any(head.startswith("-- The stream's watermark row, the lock") for head in heads[:begin])
    assert heads[begin + 1].startswith("-- A batch's first statement: it locks")
    assert heads[begin + 2].startswith("-- The promoted watermark")
    assert not any(
        sql.lstrip().startswith("INSERT INTO GATE_TEST.SOPHIA_OPS.PROMOTION_WATERMARKS") for sql in executed
    )


def test_a_failed_commit_leaves_no_transaction_open(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"))

    def commit_fails(sql: str) -> None:
        if sql == "COMMIT":
            raise RuntimeError("the warehouse went away during COMMIT")

    gate.session.before.append(commit_fails)
    with pytest.raises(RuntimeError, match=r"streams \['CALLS'\] failed"):
        gate.run()
    gate.session.before.clear()
    gate.execute("ROLLBACK")  # would discard the error record had it been written into an open transaction

    assert [(b["STATUS"], b["DETAIL"]) for b in gate.batches()] == [
        ("error", "RuntimeError: the warehouse went away during COMMIT")
    ]
    assert calls.curated_rows() == [] and gate.watermark("GONG", "CALLS") is None
    assert gate.run() == {"CALLS": ["promoted"]}
