"""The data-quality gate's stored-procedure handler: checks each stream's new RAW batch, promotes or holds it."""

# This file is the body of the gate's Python stored procedures, so it runs inside Snowflake with only the
# standard library and a Snowpark session, and imports nothing from this repository. Every statement it runs
# arrives in the plan, rendered beforehand from sql/quality/ (catalog/quality_gate/plan.py); the only text
# it fills in is RAW's column names (quoted) and types, which no deploy can know.
#
# What a batch is: catalog/quality_gate/plan.py. Consistency on Snowflake, which runs READ COMMITTED: each statement sees what was committed before it began,
# not what the transaction's earlier statements saw (Snowflake Transactions, isolation level). So a batch first
# locks its stream's watermark row (an UPDATE holds the table's lock until COMMIT or ROLLBACK, and a second
# run's UPDATE waits for it: Transactions, resource locking), then reads the watermark, the bounds and, after
# them, RAW's columns: a column Airbyte adds commits before the rows that carry it, so every row within the
# bounds comes with its columns. RAW's columns are read again before COMMIT; a column added meanwhile rolls
# the batch back to add it to curated (DDL commits, so never inside the batch) and the batch runs again.

import contextlib
import json
import re
import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol

# Transaction control is not rendered SQL: these are the statements themselves (Snowflake transactions docs).
BEGIN, COMMIT, ROLLBACK = "BEGIN TRANSACTION", "COMMIT", "ROLLBACK"
# What Snowflake names a DML statement's counts (INSERT, UPDATE, DELETE and MERGE output columns).
INSERTED, UPDATED, DELETED = "number of rows inserted", "number of rows updated", "number of rows deleted"
AIRBYTE_COLUMNS = ("_AIRBYTE_RAW_ID", "_AIRBYTE_EXTRACTED_AT", "_AIRBYTE_META", "_AIRBYTE_GENERATION_ID")
NOT_LANDED = "no RAW table yet; Airbyte creates it on the first sync"
UP_TO_DATE = "up_to_date"  # nothing new in RAW: no batch, nothing recorded
MAX_ATTEMPTS = 3  # a batch runs again when RAW gained a column meanwhile; Airbyte alters a table once a sync
_COLUMN_TYPE = re.compile(r"^[A-Z_]+(\([0-9]+(,[0-9]+)?\))?$")
_RETRY = "retry"


class BatchStatus(StrEnum):
    """What became of a stream in one gate pass."""

    CHECKING = "checking"  # only ever seen inside the pass's own transaction
    PROMOTED = "promoted"
    HELD = "held"  # a blocking check failed: nothing promoted or removed, the watermark stays
    RELEASED = "released"  # promoted, the failing rows of the batch decided on included, by an operator
    SKIPPED = "skipped"  # promoted without the failing rows of the batch decided on, by an operator
    SUPERSEDED = "superseded"  # another run advanced the watermark first
    NOT_LANDED = "not_landed"  # no RAW table yet: Airbyte creates it on the stream's first sync
    INVALID = "invalid"  # RAW lacks a column the stream relies on, or a column changed type
    ERROR = "error"


# The statuses that say whether a stream is held; the others leave the stream as it was.
CHECKED_STATUSES = (BatchStatus.PROMOTED, BatchStatus.HELD, BatchStatus.RELEASED, BatchStatus.SKIPPED)
PROBLEM_STATUSES = (BatchStatus.INVALID, BatchStatus.ERROR)


class Decision(StrEnum):
    """What an operator may decide for a held batch."""

    RELEASE = "release"
    SKIP = "skip"


class Session(Protocol):
    """What the handler uses of a Snowpark Session: `sql(query, params).collect()` (qmark binds)."""

    def sql(self, query: str, params: Sequence[Any] | None = None) -> Any: ...


class GateError(RuntimeError):
    """Some stream could not be gated; the task run fails so the task history shows it."""


def run_gate(session: Session, plan: dict[str, Any]) -> dict[str, list[str]]:
    """One gate run over a source's streams; returns what became of each stream's batches."""
    run_id = str(uuid.uuid4())
    outcomes = {stream["stream"]: _Stream(session, plan, stream, run_id).gate() for stream in plan["streams"]}
    failed = {name: statuses for name, statuses in outcomes.items() if BatchStatus.ERROR in statuses}
    if failed:
        raise GateError(f"run {run_id}: streams {sorted(failed)} failed; see {plan['batches']}: {outcomes}")
    return outcomes


class _Stream:
    """One stream's pass: its statements, its RAW and curated tables and the run it belongs to."""

    def __init__(self, session: Session, plan: dict[str, Any], stream: dict[str, Any], run_id: str) -> None:
        self.session, self.plan, self.shared, self.stream = session, plan, plan["statements"], stream
        self.source, self.name, self.run_id = plan["source"], stream["stream"], run_id
        self.curated: dict[str, str] = {}

    def gate(self) -> list[str]:
        """Checks and promotes or holds the new batch, applying any pending operator decision first."""
        try:
            raw_columns = self._columns(self.stream["raw_schema"])
            if not raw_columns:
                return [self._record(BatchStatus.NOT_LANDED, NOT_LANDED)]
            self._execute(self.shared["ensure_watermark"], [self.source, self.name])
            for _ in range(MAX_ATTEMPTS):
                problem = self._prepare_curated(raw_columns)
                if problem:
                    return [self._record(BatchStatus.INVALID, problem)]
                status = self._next_batch()
                if status != _RETRY:
                    return [status or UP_TO_DATE]
                raw_columns = self._columns(self.stream["raw_schema"])
            raise GateError(f"RAW's columns changed during each of {MAX_ATTEMPTS} attempts")
        except Exception as error:  # recorded for the operator; the run fails once every stream had its turn
            return [self._record(BatchStatus.ERROR, f"{type(error).__name__}: {error}"[:4000])]

    def _prepare_curated(self, raw: list[tuple[str, str]]) -> str | None:
        """Creates curated and adds RAW's new columns to it; or says why the stream cannot be promoted."""
        missing = sorted(set(self.stream["required_columns"]) - {name for name, _ in raw})
        if missing:
            return f"RAW lacks columns {missing} that the stream's key, cursor or checks name"
        self.curated = dict(self._columns(self.stream["curated_schema"]))
        if not self.curated:  # DDL commits a transaction, so this happens outside any batch's transaction
            self._execute(self.stream["create_curated"], [])
            self._attach_row_access()
            self.curated = dict(raw)
        elif self.stream.get("attach_row_access") and not self._rows(self.stream["row_access_attached"], []):
            self._execute(self.stream["attach_row_access"], [])  # restricted after the table was created
        changed = [
            f"{name} is {kind} in RAW, {self.curated[name]} in curated"
            for name, kind in raw
            if self.curated.get(name, kind) != kind
        ]
        if changed:
            return f"columns changed type: {changed}; alter the curated columns, then the gate resumes"
        for name, kind in raw:
            if name not in self.curated:
                if not _COLUMN_TYPE.fullmatch(kind):
                    return f"column {name} has type {kind!r}, which the gate does not add to curated"
                add = self.stream["add_curated_column"].format(column=_quoted(name), column_type=kind)
                self._execute(add, [])
                self.curated[name] = kind
        return None

    def _attach_row_access(self) -> None:
        """The declared row access policy on the new, still empty curated table, or no curated table at all."""
        try:
            if self.stream.get("attach_row_access"):
                self._execute(self.stream["attach_row_access"], [])
        except Exception:
            self._execute(self.stream["drop_curated"], [])
            raise

    def _next_batch(self) -> str | None:
        """One batch in one transaction; None when there is nothing to do, _RETRY when RAW gained a column."""
        self._execute_raw(BEGIN)
        try:
            status = self._batch()
        except Exception:
            self._execute_raw(ROLLBACK)
            raise
        if status in (None, _RETRY, BatchStatus.SUPERSEDED):
            self._execute_raw(ROLLBACK)
            if status is BatchStatus.SUPERSEDED:
                return self._record(BatchStatus.SUPERSEDED, "another run promoted this batch first")
            return status
        try:
            self._execute_raw(COMMIT)
        except Exception:
            # A failed statement leaves Snowflake's transaction open (Transactions, statement rollback): end it,
            # so what the run records next is not written into it.
            with contextlib.suppress(Exception):
                self._execute_raw(ROLLBACK)
            raise
        return status

    def _batch(self) -> str | None:
        """Inside the transaction: lock, bound, check, then promote and remove, or hold."""
        self._execute(self.shared["lock_stream"], [self.run_id, self.source, self.name])
        after_ns = self._one(self.shared["read_watermark"], [self.source, self.name])["AFTER_NS"]
        window_from = max(0, after_ns - self.plan["overlap_ns"]) if after_ns is not None else 0
        decision = self._first(self.shared["pending_decision"], [self.source, self.name])
        bounds = self._one(self.stream["batch_bounds"], [window_from, None, after_ns or 0])
        if decision is None and not bounds["ROWS_IN_BATCH"] and not bounds["GONE_ROWS"]:
            return None
        raw_columns = self._columns(self.stream["raw_schema"])
        if any(self.curated.get(name) != kind for name, kind in raw_columns):
            return _RETRY
        through_ns = max(after_ns or 0, bounds["THROUGH_NS"] or 0)
        batch_id = str(uuid.uuid4())
        generation = bounds["MAX_GENERATION_ID"]
        self._record(
            BatchStatus.CHECKING, None, batch_id, (after_ns, through_ns, bounds["ROWS_IN_BATCH"], generation)
        )
        chosen = self._apply_decision(decision, batch_id)
        self._check(batch_id, window_from, through_ns, after_ns)
        promoted = deleted = None
        if self._one(self.shared["blocking_failures"], [batch_id])["BLOCKING"]:
            status = BatchStatus.HELD
        elif not self._advance_watermark(after_ns, through_ns, batch_id):
            return BatchStatus.SUPERSEDED
        else:
            promoted = self._merge([window_from, through_ns, after_ns or 0], raw_columns)
            deleted = int(self._one(self.stream["delete_gone"], [])[DELETED])
            status = {None: BatchStatus.PROMOTED, Decision.RELEASE: BatchStatus.RELEASED}.get(
                chosen, BatchStatus.SKIPPED
            )
        if self._columns(self.stream["raw_schema"]) != raw_columns:
            return _RETRY
        decision_id = decision["DECISION_ID"] if chosen else None
        self._execute(self.shared["close_batch"], [status.value, promoted, deleted, decision_id, batch_id])
        return status.value

    def _apply_decision(self, decision: dict[str, Any] | None, batch_id: str) -> Decision | None:
        """Sets the decided batch's failing rows aside, or refuses a decision on a batch no longer held."""
        if decision is None:
            return None
        if decision["BATCH_ID"] != decision["HELD_BATCH_ID"]:
            outcome = f"refused: batch {decision['BATCH_ID']} is no longer the one held"
            self._execute(self.shared["apply_decision"], [batch_id, outcome, decision["DECISION_ID"]])
            return None
        chosen = Decision(decision["DECISION"])
        params = [chosen.value, decision["DECISION_ID"], decision["BATCH_ID"]]
        self._execute(self.shared["record_decided_rows"], params)
        self._execute(self.shared["apply_decision"], [batch_id, "applied", decision["DECISION_ID"]])
        return chosen

    def _check(self, batch_id: str, window_from: int, through_ns: int, after_ns: int | None) -> None:
        """Runs every check on the batch and records one result per check."""
        self._execute(self.shared["clear_failing_rows"], [self.source, self.name])
        for check in self.stream["checks"]:
            values = {
                "source": self.source,
                "stream": self.name,
                "batch_id": batch_id,
                "check_name": check["name"],
                "window_from_ns": window_from,
                "through_ns": through_ns,
                "after_ns": after_ns or 0,
                "values": json.dumps(check["values"]),
                "max_delete_share": self.plan["max_delete_share"],
            }
            self._execute(check["sql"], [values[name] for name in check["binds"]])
        declared = [
            {key: check[key] for key in ("name", "type", "columns", "severity")}
            for check in self.stream["checks"]
        ]
        self._execute(self.shared["record_results"], [json.dumps(declared), batch_id, batch_id])

    def _advance_watermark(self, after_ns: int | None, through_ns: int, batch_id: str) -> bool:
        """Moves the watermark from where this batch started, or reports that another run moved it."""
        params = [through_ns, batch_id, self.source, self.name, after_ns]
        return bool(self._rows(self.shared["advance_watermark"], params)[0][UPDATED])

    def _merge(self, window: list[int], raw_columns: list[tuple[str, str]]) -> int:
        """Merges the batch into curated; a column RAW dropped is cleared on updated rows. Returns rows changed."""
        fragments = self.stream["merge_fragments"]
        columns = [_quoted(name) for name, _ in raw_columns]
        dropped = [_quoted(name) for name in self.curated if name not in dict(raw_columns)]
        assignments = [fragments["assignment"].format(column=column) for column in columns]
        assignments += [fragments["clear"].format(column=column) for column in dropped]
        merge = self.stream["merge"].format(
            assignments=", ".join(assignments),
            insert_columns=", ".join(columns),
            insert_values=", ".join(fragments["insert_value"].format(column=column) for column in columns),
        )
        counts = self._rows(merge, window)[0]
        return int(counts[INSERTED]) + int(counts[UPDATED])

    def _record(
        self,
        status: BatchStatus,
        detail: str | None,
        batch_id: str | None = None,
        bounds: tuple[Any, Any, Any, Any] = (None, None, None, None),
    ) -> str:
        """Writes the pass to the batches table; outside a transaction it commits on its own."""
        row = [self.run_id, self.source, self.name, status.value, *bounds, detail]
        self._execute(self.shared["record_batch"], [batch_id or str(uuid.uuid4()), *row])
        return status.value

    def _columns(self, schema: str) -> list[tuple[str, str]]:
        rows = self._rows(self.shared["table_columns"], [schema, self.name])
        return [(row["COLUMN_NAME"], row["COLUMN_TYPE"]) for row in rows]

    def _one(self, sql: str, params: list[Any]) -> Any:
        return self._rows(sql, params)[0]

    def _first(self, sql: str, params: list[Any]) -> Any:
        return next(iter(self._rows(sql, params)), None)

    def _rows(self, sql: str, params: list[Any]) -> list[Any]:
        return _rows(self.session, sql, params)

    def _execute(self, sql: str, params: list[Any]) -> None:
        _rows(self.session, sql, params)

    def _execute_raw(self, statement: str) -> None:
        _rows(self.session, statement, [])


def _rows(session: Session, sql: str, params: list[Any]) -> list[Any]:
    return session.sql(sql, params=params or None).collect()


def _quoted(name: str) -> str:
    """A column name as a quoted identifier: RAW's names are whatever Airbyte wrote, so they are quoted."""
    return '"' + name.replace('"', '""') + '"'
