"""An operator's decision on a held batch, on the emulator: release or skip it, once, with a reason."""

import pytest

from tests.sql.quality_gate_harness import GateWarehouse, RawStream, call


def test_a_released_batch_is_promoted_and_records_who_and_why(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2", DIRECTION="Sideways"))
    gate.run()
    held = gate.held()[0]

    message = gate.decide("GONG", "calls", "release", "Gong added the Sideways direction")
    assert (
        message
        == f"release recorded for batch {held['BATCH_ID']} of GONG.CALLS; the next gate run applies it"
    )
    calls.sync(call("c3"))  # arrives after the decision: checked, and not covered by the release

    assert gate.run() == {"CALLS": ["released"]}
    assert [row["ID"] for row in calls.curated_rows()] == ["c1", "c2", "c3"]
    decision = gate.execute("SELECT * FROM GATE_TEST.SOPHIA_OPS.QUALITY_GATE_DECISIONS")[0]
    user = gate.execute("SELECT CURRENT_USER() AS U")[0]["U"]
    assert (decision["DECISION"], decision["REASON"], decision["DECIDED_BY"]) == (
        "release",
        "Gong added the Sideways direction",
        user,
    )
    assert decision["BATCH_ID"] == held["BATCH_ID"] and decision["APPLIED_BATCH_ID"] is not None
    released = gate.batches()[-1]
    assert (released["STATUS"], released["DECISION_ID"], decision["OUTCOME"]) == (
        "released",
        decision["DECISION_ID"],
        "applied",
    )
    assert released["BATCH_THROUGH"] > held["BATCH_THROUGH"] and released["ROWS_IN_BATCH"] == 3
    assert gate.held() == []


def test_a_skipped_batch_stays_in_raw_and_the_stream_moves_on(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1", DIRECTION="Sideways"))
    gate.run()
    gate.decide("GONG", "CALLS", "skip", "test calls from the Gong sandbox")

    assert gate.run() == {"CALLS": ["skipped"]}
    assert calls.curated_rows() == [] and len(calls.rows()) == 1
    calls.sync(call("c2"))
    assert gate.run() == {"CALLS": ["promoted"]}
    assert [row["ID"] for row in calls.curated_rows()] == ["c2"]


@pytest.mark.parametrize(
    ("stream", "decision", "reason", "expected"),
    [
        ("CALLS", "approve", "ok", "decision 'approve' is not allowed; allowed: 'release', 'skip'"),
        ("CALLS", "release", "  ", "reason is required"),
        ("USERS", "release", "ok", "GONG.USERS has no held batch"),
    ],
    ids=["unknown decision", "no reason", "stream not held"],
)
def test_a_bad_decision_is_refused(
    gate: GateWarehouse, calls: RawStream, stream: str, decision: str, reason: str, expected: str
) -> None:
    calls.sync(call(None))
    gate.run()
    with pytest.raises(ValueError, match=expected):
        gate.decide("GONG", stream, decision, reason)


def test_a_held_batch_takes_one_pending_decision(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call(None))
    gate.run()
    gate.decide("GONG", "CALLS", "skip", "sandbox data")
    with pytest.raises(ValueError, match="a decision is already pending"):
        gate.decide("GONG", "CALLS", "release", "changed my mind")
