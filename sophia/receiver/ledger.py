"""The Airbyte jobs that have already triggered their gate, so a webhook delivered twice triggers once."""

# A job is recorded only after its trigger succeeded, so a failed trigger leaves it retryable. With a file,
# each record is one JSON line, flushed and fsynced before the webhook is answered, and the set is read back
# at start-up: a restart forgets nothing. Without one, the set lives as long as the process.
#
# Only the last line can be torn by a crash (each record is one append ending in a newline), so a last line
# without its newline is dropped. Any complete line that is not a record (bad UTF-8, not JSON, a timestamp
# without a zone) was not written by this receiver: start-up stops rather than guess which jobs ran.

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, NonNegativeInt, ValidationError

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


class _Record(BaseModel):
    """One ledger line as `Ledger.record` writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    connection_id: UUID
    job_id: NonNegativeInt
    task: str
    recorded_at: AwareDatetime


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
            line = _Record(
                connection_id=key.connection_id, job_id=key.job_id, task=task, recorded_at=datetime.now(UTC)
            ).model_dump_json()
            try:
                with self._path.open("a") as ledger:
                    ledger.write(line + "\n")
                    ledger.flush()
                    os.fsync(ledger.fileno())
            except OSError as error:
                raise LedgerError(f"cannot append to ledger {self._path}: {error.strerror}") from error
        self._done.add(key)


def _read_back(path: Path, cutoff: datetime) -> set[JobKey]:
    """The recorded jobs newer than `cutoff`; rewrites the file without the older ones and a torn last line."""
    try:
        data = path.read_bytes() if path.exists() else b""
    except OSError as error:
        raise LedgerError(f"cannot read ledger {path}: {error.strerror}") from error
    *complete, torn = data.split(b"\n")
    kept, done = [], set()
    for number, line in enumerate(complete, start=1):
        record = _parse(path, number, line)
        if record.recorded_at >= cutoff:
            kept.append(line)
            done.add(JobKey(record.connection_id, record.job_id))
    if len(kept) != len(complete) or torn:
        replacement = path.with_name(path.name + ".tmp")
        try:
            replacement.write_bytes(b"".join(line + b"\n" for line in kept))
            replacement.replace(path)
        except OSError as error:
            raise LedgerError(f"cannot rewrite ledger {path}: {error.strerror}") from error
    return done


def _parse(path: Path, number: int, line: bytes) -> _Record:
    """One complete line, or a LedgerError naming the file, the line and what is wrong with it."""
    try:
        return _Record.model_validate_json(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 at byte {error.start}"
    except ValidationError as error:
        problem = "; ".join(
            f"{'.'.join(map(str, issue['loc'])) or 'line'}: {issue['msg']}"
            for issue in error.errors(include_input=False, include_url=False)
        )
    raise LedgerError(
        f"ledger {path} line {number} is not a record this receiver wrote ({problem}); "
        "move the file aside or remove the line, then start again"
    )
