"""What one sync webhook does: a successful sync of a known connection runs its gate task, once per job."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

import anyio.to_thread

from catalog.sql_files import render_sql
from sophia.receiver.airbyte_jobs import JobConfirmer
from sophia.receiver.executors import Executor
from sophia.receiver.job_locks import JobLocks
from sophia.receiver.ledger import JobKey, Ledger
from sophia.receiver.payload import SyncSummary


class Action(StrEnum):
    """What the receiver did with a webhook; logged, and returned to Airbyte."""

    TRIGGERED = "triggered"
    DUPLICATE = "duplicate"
    FAILED_SYNC = "ignored_failed_sync"
    UNKNOWN_CONNECTION = "ignored_unknown_connection"


@dataclass(frozen=True)
class Outcome:
    """The action taken and, when a connection is known, its gate task."""

    action: Action
    task: str | None = None


class SyncHandler:
    """Maps a sync to its gate task and triggers it exactly once per Airbyte job."""

    def __init__(
        self, triggers: Mapping[UUID, str], executor: Executor, ledger: Ledger, jobs: JobConfirmer
    ) -> None:
        self._tasks = dict(triggers)
        # Rendered once at start-up, so a bad name stops the receiver before it answers anything.
        self._statements = {
            connection: render_sql("receiver/execute_task.sql", task=task)
            for connection, task in triggers.items()
        }
        self._executor = executor
        self._ledger = ledger
        self._jobs = jobs
        self._locks = JobLocks()

    async def handle(self, sync: SyncSummary) -> Outcome:
        """Triggers the gate for a new successful job Airbyte confirms; raises JobNotConfirmed,
        AirbyteUnavailable, SnowflakeUnavailable or StatementRefused."""
        task = self._tasks.get(sync.connection.id)
        if not sync.success:
            return Outcome(Action.FAILED_SYNC, task)
        if task is None:
            return Outcome(Action.UNKNOWN_CONNECTION)
        key = JobKey(sync.connection.id, sync.job_id)
        # Check, confirm and trigger under the job's lock: concurrent duplicates wait, then find the job
        # recorded. A job already recorded was confirmed when it triggered. A confirmation or trigger that
        # raises records nothing, so the next delivery of that job tries again.
        async with self._locks.hold(key):
            if key in self._ledger:
                return Outcome(Action.DUPLICATE, task)
            await anyio.to_thread.run_sync(self._jobs.confirm, key.connection_id, key.job_id)
            await anyio.to_thread.run_sync(self._trigger, self._statements[sync.connection.id], key, task)
        return Outcome(Action.TRIGGERED, task)

    def _trigger(self, statement: str, key: JobKey, task: str) -> None:
        """Runs the statement, then records the job; blocking (Snowflake, fsync), so off the event loop."""
        self._executor.execute(statement)
        self._ledger.record(key, task)
