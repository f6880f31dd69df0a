"""The Airbyte jobs that have already triggered their gate, so a webhook delivered twice triggers once."""

# A job is recorded only after its trigger succeeded, so a failed trigger leaves it retryable. With a file,
# each record is one JSON line, flushed and fsynced before the webhook is answered, and the set is read back
# at start-up: a restart forgets nothing. Without one, the set lives as long as the process.

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

# Airbyte delivers a job's webhook once, right after the job (JobNotifier does not retry); a duplicate comes
# within minutes. Records older than this are dropped when the file is read back, so it stays small.
RETENTION = timedelta(days=30)


class LedgerError(ValueError):
    """The ledger file cannot be read or written."""


@dataclass(frozen=True, order=True)
class JobKey:
    """One Airbyte job: job ids are unique per Airbyte instance, the connection pins the instance."""

    connection_id: UUID
    job_id: int


class Ledger:
    """Jobs whose gate task was triggered."""

    def __init__(self, path: Path | None = None, now: datetime | None = None) -> None:
        self._path = path
        self._done: set[JobKey] = set()
        if path is not None:
            self._done = _read_back(path, (now or datetime.now(UTC)) - RETENTION)
            try:
                path.touch()  # fail at start-up, not after the first trigger, if it cannot be written
            except OSError as error:
                raise LedgerError(f"cannot write ledger {path}: {error.strerror}") from error

    def __contains__(self, key: JobKey) -> bool:
        return key in self._done

    def __len__(self) -> int:
        return len(self._done)

    def record(self, key: JobKey, task: str) -> None:
        """Marks `key` as triggered; with a file, durably before returning."""
        if self._path is not None:
            line = json.dumps(
                {
                    "connection_id": str(key.connection_id),
                    "job_id": key.job_id,
                    "task": task,
                    "recorded_at": datetime.now(UTC).isoformat(),
                }
            )
            try:
                with self._path.open("a") as ledger:
                    ledger.write(line + "\n")
                    ledger.flush()
                    os.fsync(ledger.fileno())
            except OSError as error:
                raise LedgerError(f"cannot append to ledger {self._path}: {error.strerror}") from error
        self._done.add(key)


def _read_back(path: Path, cutoff: datetime) -> set[JobKey]:
    """The recorded jobs newer than `cutoff`; rewrites the file without the older ones and any torn line."""
    try:
        lines = path.read_text().splitlines() if path.exists() else []
    except OSError as error:
        raise LedgerError(f"cannot read ledger {path}: {error.strerror}") from error
    kept, done = [], set()
    for line in lines:
        try:
            entry = json.loads(line)
            key = JobKey(UUID(entry["connection_id"]), int(entry["job_id"]))
            recorded = datetime.fromisoformat(entry["recorded_at"])
        except (ValueError, KeyError, TypeError):
            continue  # cut short by a crash mid-write: that webhook was never answered, so it may run again
        if recorded >= cutoff:
            kept.append(line)
            done.add(key)
    if len(kept) != len(lines):
        replacement = path.with_name(path.name + ".tmp")
        try:
            replacement.write_text("".join(line + "\n" for line in kept))
            replacement.replace(path)
        except OSError as error:
            raise LedgerError(f"cannot rewrite ledger {path}: {error.strerror}") from error
    return done
