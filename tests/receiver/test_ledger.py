"""The ledger of triggered jobs: survives a restart, forgets old jobs, shrugs off a torn last line."""

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from sophia.receiver.ledger import RETENTION, JobKey, Ledger, LedgerError

TASK = "SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE"


def test_without_a_file_it_remembers_for_the_life_of_the_process():
    ledger, key = Ledger(), JobKey(uuid4(), 7)
    assert key not in ledger
    ledger.record(key, TASK)
    assert key in ledger
    assert key not in Ledger()


def test_a_file_carries_the_jobs_across_a_restart(tmp_path):
    path, key = tmp_path / "ledger.jsonl", JobKey(uuid4(), 7)
    Ledger(path).record(key, TASK)
    restarted = Ledger(path)
    assert key in restarted
    assert JobKey(key.connection_id, 8) not in restarted
    [line] = path.read_text().splitlines()
    assert json.loads(line) | {"recorded_at": None} == {
        "connection_id": str(key.connection_id),
        "job_id": 7,
        "task": TASK,
        "recorded_at": None,
    }


def test_jobs_older_than_the_retention_are_dropped_on_start(tmp_path):
    path, old, recent = tmp_path / "ledger.jsonl", JobKey(uuid4(), 1), JobKey(uuid4(), 2)
    ledger = Ledger(path)
    ledger.record(old, TASK)
    ledger.record(recent, TASK)
    lines = path.read_text().splitlines()
    aged = json.loads(lines[0]) | {
        "recorded_at": (datetime.now(UTC) - RETENTION - timedelta(days=1)).isoformat()
    }
    path.write_text(json.dumps(aged) + "\n" + lines[1] + "\n")
    restarted = Ledger(path)
    assert (old in restarted, recent in restarted) == (False, True)
    assert len(path.read_text().splitlines()) == 1


def test_a_line_torn_by_a_crash_is_skipped_and_removed(tmp_path):
    path, key = tmp_path / "ledger.jsonl", JobKey(uuid4(), 3)
    Ledger(path).record(key, TASK)
    with path.open("a") as ledger:
        ledger.write('{"connection_id": "')
    restarted = Ledger(path)
    assert key in restarted
    assert len(restarted) == 1
    assert path.read_text().count("\n") == 1


def test_an_unwritable_ledger_stops_the_receiver_at_start(tmp_path):
    with pytest.raises(LedgerError, match="cannot write ledger"):
        Ledger(tmp_path / "no-such-dir" / "ledger.jsonl")


def _recorded(path, key):
    Ledger(path).record(key, TASK)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("corrupt", "problem"),
    [
        (b'{"connection_id": "\xff\xfe"}\n', "not UTF-8 at byte 19"),
        (
            b'{"connection_id": "%s", "job_id": 9, "task": "T", "recorded_at": "2026-01-05T10:00:00"}\n',
            "recorded_at: Input should have timezone info",
        ),
        (b"not json at all\n", "Invalid JSON"),
        (
            b'{"connection_id": "%s", "job_id": -1, "task": "T", "recorded_at": "2026-01-05T10:00:00Z"}\n',
            "job_id",
        ),
    ],
)
def test_a_corrupt_complete_line_stops_start_up_naming_the_line(tmp_path, corrupt, problem):
    # Only the last line can be torn by a crash; a complete line that is not a record was not written by the
    # receiver, and guessing which jobs ran could trigger one twice or never.
    path, key = tmp_path / "ledger.jsonl", JobKey(uuid4(), 3)
    first = _recorded(path, key)
    corrupt = corrupt.replace(b"%s", str(key.connection_id).encode())
    path.write_bytes(first + corrupt + first)
    with pytest.raises(LedgerError, match=f"line 2 is not a record this receiver wrote .*{problem}"):
        Ledger(path)
    assert path.read_bytes() == first + corrupt + first  # left as found, for the operator to look at
