"""The gate on the emulator: RAW tables shaped like Airbyte's, the procedure's own code, every statement run."""

from datetime import timedelta
from typing import Any

import pytest

from tests.sql.quality_gate_harness import GateWarehouse, RawStream, call, calls_stream

KEY_AND_DIRECTION = ["not_null(ID)", "not_null(STARTED)", "unique(ID)", "accepted_values(DIRECTION)"]
BUILT_IN = ["airbyte_meta(_AIRBYTE_META)", "delete_share(ID)", "late_rows(STARTED)"]


def _without_order(rows: list[dict[str, Any]]) -> list[tuple]:
    return sorted(tuple(sorted(row.items())) for row in rows)


def test_a_clean_batch_is_promoted_exactly(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2", DIRECTION="Outbound", SCOPE="Internal"), call("c3"))

    assert gate.run() == {"CALLS": ["promoted"]}

    assert calls.curated_rows() == calls.rows()  # every column, Airbyte's included, row for row
    [batch] = gate.batches()
    assert (batch["STATUS"], batch["ROWS_IN_BATCH"], batch["PROMOTED_ROWS"]) == ("promoted", 3, 3)
    assert batch["BATCH_AFTER"] is None
    assert batch["BATCH_THROUGH"] == max(row["_AIRBYTE_EXTRACTED_AT"] for row in calls.rows())
    assert gate.watermark("GONG", "CALLS") == batch["BATCH_THROUGH"]
    results = gate.results(batch["BATCH_ID"])
    assert sorted(results) == sorted([*KEY_AND_DIRECTION, "accepted_values(SCOPE)", *BUILT_IN])
    assert all(
        r["PASSED"] and (r["ROWS_CHECKED"], r["FAILING_ROWS"], r["FAILING_KEYS"]) == (3, 0, [])
        for r in results.values()
    )
    assert gate.held() == []


BAD_BATCHES = {
    "null key": ([call(None)], "not_null(ID)", 1),
    "duplicate key": (
        [call("c2", SCOPE="Internal"), call("c2", "2024-05-02T10:00:00+00:00")],
        "unique(ID)",
        2,
    ),
    "unaccepted value": ([call("c2", DIRECTION="Sideways")], "accepted_values(DIRECTION)", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_BATCHES), ids=str)
def test_a_failing_blocking_check_holds_the_whole_batch(
    gate: GateWarehouse, calls: RawStream, case: str
) -> None:
    calls.sync(call("c1"))
    gate.run()
    promoted, watermark = calls.curated_rows(), gate.watermark("GONG", "CALLS")
    bad, failing_check, failing_rows = BAD_BATCHES[case]
    # The duplicate can only reach RAW where Airbyte does not dedup (append): its MERGE would fold it.
    raw_ids = calls.append(call("c9"), *bad) if case == "duplicate key" else calls.sync(call("c9"), *bad)

    assert gate.run() == {"CALLS": ["held"]}

    assert calls.curated_rows() == promoted  # c9 passed every check, and is held with its batch
    assert gate.watermark("GONG", "CALLS") == watermark
    assert {row["_AIRBYTE_RAW_ID"] for row in calls.rows()} >= set(raw_ids)  # the rows wait in RAW
    held_batch = gate.batches()[-1]
    assert (held_batch["STATUS"], held_batch["ROWS_IN_BATCH"], held_batch["PROMOTED_ROWS"]) == (
        "held",
        1 + len(bad),
        None,
    )
    results = gate.results(held_batch["BATCH_ID"])
    failed = {name: r["FAILING_ROWS"] for name, r in results.items() if not r["PASSED"]}
    assert failed == {failing_check: failing_rows}
    failing_raw_ids = {key["_AIRBYTE_RAW_ID"] for key in results[failing_check]["FAILING_KEYS"]}
    assert failing_raw_ids == set(raw_ids[1:])
    [held] = gate.held()
    assert (held["BATCH_ID"], held["FAILING_CHECKS"]) == (held_batch["BATCH_ID"], f'["{failing_check}"]')
    assert held["BATCH_AFTER"] == watermark and held["HELD_SINCE"] == held_batch["STARTED_AT"]


def test_running_the_gate_twice_promotes_nothing_twice(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"), call("c2"))
    gate.run()
    curated, batches = calls.curated_rows(), gate.batches()

    assert gate.run() == {"CALLS": ["up_to_date"]}

    assert calls.curated_rows() == curated
    assert gate.batches() == batches


def test_ten_micro_batches_give_the_curated_table_of_one_batch(gate: GateWarehouse) -> None:
    syncs = [
        [
            call(
                f"c{(n * 3 + i) % 7}",
                f"2024-05-{n + 1:02d}T10:00:00+00:00",
                SCOPE=f"{'Internal' if i else 'External'}",
            )
            for i in range(3)
        ]
        for n in range(10)
    ]
    curated = {}
    key_checks = [{"check": "not_null", "columns": ["id"]}, {"check": "unique"}]
    for micro in (True, False):
        warehouse = gate.reset()
        stream = warehouse.stream("GONG", calls_stream(checks=key_checks))
        stream.land()
        for records in syncs:
            stream.sync(*records)
            if micro:
                assert warehouse.run() == {"CALLS": ["promoted"]}
        if not micro:
            assert warehouse.run() == {"CALLS": ["promoted"]}
        assert _without_order(stream.curated_rows()) == _without_order(stream.rows())
        curated[micro] = [
            {k: v for k, v in row.items() if k != "_AIRBYTE_RAW_ID"} for row in stream.curated_rows()
        ]
    assert curated[True] == curated[False]
    assert len(curated[True]) == 7


def test_an_older_row_arriving_late_does_not_overwrite_a_newer_one(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync(call("c1", "2024-05-03T10:00:00+00:00", SCOPE="Internal"))
    gate.run()
    newer = calls.curated_rows()
    calls.append(call("c1", "2024-05-01T10:00:00+00:00", SCOPE="External"))  # extracted later, older cursor

    assert gate.run() == {"CALLS": ["promoted"]}
    assert calls.curated_rows() == newer
    assert gate.batches()[-1]["PROMOTED_ROWS"] == 0

    calls.append(call("c1", "2024-05-03T10:00:00+00:00", SCOPE="External"))  # same cursor, extracted later
    gate.run()
    assert [row["SCOPE"] for row in calls.curated_rows()] == ["External"]


def test_a_held_stream_heals_when_the_source_corrects_the_bad_record(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync(call("c1"), call("c2", DIRECTION="Sideways"))
    assert gate.run() == {"CALLS": ["held"]}
    assert calls.curated_rows() == []

    calls.sync(call("c2", "2024-05-01T11:00:00+00:00", DIRECTION="Outbound"))  # the source fixed it

    assert gate.run() == {"CALLS": ["promoted"]}
    assert calls.curated_rows() == calls.rows()
    assert [row["DIRECTION"] for row in calls.curated_rows()] == ["Inbound", "Outbound"]
    assert gate.held() == []
    assert gate.batches()[-1]["BATCH_AFTER"] is None  # the held rows were promoted, none lost


def test_new_raw_columns_reach_curated_and_dropped_ones_stay(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"))
    gate.run()
    calls.add_column("TOPIC", "VARCHAR")
    calls.add_column("DURATION", "NUMBER(38,0)")
    calls.sync(call("c2", TOPIC="pricing", DURATION=1800))

    assert gate.run() == {"CALLS": ["promoted"]}
    rows = {row["ID"]: row for row in calls.curated_rows()}
    assert (rows["c1"]["TOPIC"], rows["c2"]["TOPIC"], rows["c2"]["DURATION"]) == (None, "pricing", 1800)

    calls.drop_column("TOPIC")
    calls.sync(call("c3"))
    assert gate.run() == {"CALLS": ["promoted"]}
    rows = {row["ID"]: row for row in calls.curated_rows()}
    assert (sorted(rows), rows["c2"]["TOPIC"], rows["c3"]["TOPIC"]) == (["c1", "c2", "c3"], "pricing", None)


def test_a_raw_column_that_changed_type_holds_the_stream_with_the_reason(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync(call("c1"))
    gate.run()
    calls.drop_column("SCOPE")
    calls.add_column("SCOPE", "NUMBER(38,0)")
    calls.sync(call("c2", SCOPE=1))

    assert gate.run() == {"CALLS": ["invalid"]}
    assert "SCOPE is NUMBER(38,0) in RAW, TEXT in curated" in gate.batches()[-1]["DETAIL"]
    assert [row["ID"] for row in calls.curated_rows()] == ["c1"]


def test_before_the_first_sync_the_stream_is_not_landed_and_nothing_fails(gate: GateWarehouse) -> None:
    calls = gate.stream("GONG", calls_stream())

    assert gate.run() == {"CALLS": ["not_landed"]}
    assert [(b["STATUS"], b["DETAIL"]) for b in gate.batches()] == [
        ("not_landed", "no RAW table yet; Airbyte creates it on the first sync")
    ]

    calls.land()
    calls.sync(call("c1"))
    assert gate.run() == {"CALLS": ["promoted"]}


def test_a_failing_warn_check_is_recorded_but_does_not_hold(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1", SCOPE="Unknown"), call("c2"))

    assert gate.run() == {"CALLS": ["promoted"]}
    results = gate.results(gate.batches()[-1]["BATCH_ID"])
    scope = results["accepted_values(SCOPE)"]
    assert (scope["PASSED"], scope["SEVERITY"], scope["FAILING_ROWS"]) == (False, "warn", 1)
    assert [key["ID"] for key in scope["FAILING_KEYS"]] == ["c1"]
    assert len(calls.curated_rows()) == 2


def test_promotion_and_watermark_commit_together_or_not_at_all(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync(call("c1"))

    def fail_on_close(sql: str) -> None:
        if sql.lstrip().startswith("UPDATE GATE_TEST.SOPHIA_OPS.QUALITY_GATE_BATCHES"):
            raise RuntimeError("the warehouse went away")

    gate.session.before.append(fail_on_close)  # after the merge and the watermark, before the commit
    with pytest.raises(RuntimeError, match=r"streams \['CALLS'\] failed"):  # the task run fails: GateError
        gate.run()

    assert calls.curated_rows() == [] and gate.watermark("GONG", "CALLS") is None
    assert [(b["STATUS"], b["DETAIL"]) for b in gate.batches()] == [
        ("error", "RuntimeError: the warehouse went away")
    ]
    gate.session.before.clear()
    assert gate.run() == {"CALLS": ["promoted"]}


def test_a_run_that_loses_the_race_for_the_watermark_promotes_nothing(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync(call("c1"))
    gate.run()
    calls.sync(call("c2"))
    watermark = gate.watermark("GONG", "CALLS")

    def another_run_promotes_first(sql: str) -> None:
        if sql.lstrip().startswith("-- Advances only from the watermark"):
            gate.execute(
                "UPDATE GATE_TEST.SOPHIA_OPS.PROMOTION_WATERMARKS SET PROMOTED_THROUGH = ?",
                [watermark + timedelta(hours=1)],
            )

    gate.session.before.append(another_run_promotes_first)
    assert gate.run() == {"CALLS": ["superseded"]}
    assert [row["ID"] for row in calls.curated_rows()] == ["c1"]
