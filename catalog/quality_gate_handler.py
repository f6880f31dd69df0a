"""The data-quality gate's stored-procedure handler: checks each stream's new RAW batch, promotes or holds it."""

# This file is the body of the gate's Python stored procedures, so it runs inside Snowflake with only the
# standard library and a Snowpark session, and imports nothing from this repository. Every statement it runs
# arrives in the plan, rendered beforehand from sql/quality/ (catalog/quality_gate.py); the only text
# it fills in is RAW's column names (quoted) and types, which no deploy can know.
#
# Why the watermark on _AIRBYTE_EXTRACTED_AT loses no row. In Incremental Append + Deduped mode Airbyte's
# Snowflake destination (4.x, direct load) writes a sync into a temporary table and changes the stream's
# table with one MERGE when the stream closes (DirectLoadTableDedupStreamLoader.close, upsertTable in
# SnowflakeDirectLoadSqlGenerator.kt), and a connection's syncs never overlap. So every row that commits
# after the gate read RAW was extracted after every row the gate read: `> watermark` misses nothing. A row
# the MERGE rewrites gets the newer record's _AIRBYTE_EXTRACTED_AT and so enters a later batch; a refresh
# re-creates the table with rows extracted afresh (and a higher _AIRBYTE_GENERATION_ID), which therefore
# all form a new batch. Batches are bounded above by the newest extraction time read at the start, so rows
# committed while the gate runs wait for the next run; a row can only leave a batch's bounds meanwhile (the
# MERGE rewrites it), never enter them, so every row the gate merges is a row its checks passed.
# Micro-batches change nothing of this. A feed that appends rows instead (Incremental Append, or events)
# must only commit in extraction order, or trigger the gate after each delivery has committed, as the
# webhook-driven run does: a batch then never ends between two deliveries.

import json
import re
import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol

# Transaction control is not rendered SQL: these are the statements themselves (Snowflake transactions docs).
BEGIN, COMMIT, ROLLBACK = "BEGIN TRANSACTION", "COMMIT", "ROLLBACK"
# What Snowflake names a DML statement's counts (INSERT, UPDATE and MERGE output columns).
INSERTED, UPDATED = "number of rows inserted", "number of rows updated"
AIRBYTE_COLUMNS = ("_AIRBYTE_RAW_ID", "_AIRBYTE_EXTRACTED_AT", "_AIRBYTE_GENERATION_ID")
NOT_LANDED = "no RAW table yet; Airbyte creates it on the first sync"
UP_TO_DATE = "up_to_date"  # nothing new in RAW: no batch, nothing recorded
_COLUMN_TYPE = re.compile(r"^[A-Z_]+(\([0-9]+(,[0-9]+)?\))?$")


class BatchStatus(StrEnum):
    """What became of a stream in one gate pass."""

    CHECKING = "checking"  # only ever seen inside the pass's own transaction
    PROMOTED = "promoted"
    HELD = "held"  # a blocking check failed: nothing promoted, the watermark stays
    RELEASED = "released"  # promoted despite failing checks, by an operator's decision
    SKIPPED = "skipped"  # left in RAW and passed over, by an operator's decision
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


def decide_held_batch(
    session: Session, plan: dict[str, Any], source: str, stream: str, decision: str, reason: str
) -> str:
    """Records an operator's release or skip of a stream's held batch, with who decided and why."""
    if decision not in [choice.value for choice in Decision]:
        allowed = ", ".join(repr(choice.value) for choice in Decision)
        raise ValueError(f"decision {decision!r} is not allowed; allowed: {allowed}")
    if not reason or not reason.strip():
        raise ValueError("reason is required: say why the batch may be released or skipped")
    source, stream = source.upper(), stream.upper()
    recorded = _rows(session, plan["decide_held_batch"], [decision, reason.strip(), source, stream])
    if not recorded[0][INSERTED]:
        raise ValueError(
            f"{source}.{stream} has no held batch awaiting a decision (it may not be held, or a decision "
            f"is already pending); see {plan['held_batches']}"
        )
    return f"{decision} recorded for the held batch of {source}.{stream}; the next gate run applies it"


class _Stream:
    """One stream's pass: its statements, its RAW and curated tables and the run it belongs to."""

    def __init__(self, session: Session, plan: dict[str, Any], stream: dict[str, Any], run_id: str) -> None:
        self.session, self.shared, self.stream, self.run_id = session, plan["statements"], stream, run_id
        self.source, self.name = plan["source"], stream["stream"]

    def gate(self) -> list[str]:
        """Checks and promotes or holds the new batch, after any batch an operator decided on."""
        try:
            raw_columns = self._columns(self.stream["raw_schema"])
            if not raw_columns:
                return [self._record(BatchStatus.NOT_LANDED, NOT_LANDED)]
            problem = self._prepare_curated(raw_columns)
            if problem:
                return [self._record(BatchStatus.INVALID, problem)]
            statuses: list[str] = []
            while True:
                status = self._next_batch(raw_columns)
                if status is None:
                    return statuses or [UP_TO_DATE]
                statuses.append(status)
                if status not in (BatchStatus.RELEASED, BatchStatus.SKIPPED):
                    return statuses
        except Exception as error:  # recorded for the operator; the run fails once every stream had its turn
            return [self._record(BatchStatus.ERROR, f"{type(error).__name__}: {error}"[:4000])]

    def _prepare_curated(self, raw: list[tuple[str, str]]) -> str | None:
        """Creates curated and adds RAW's new columns to it; or says why the stream cannot be promoted."""
        missing = sorted(set(self.stream["required_columns"]) - {name for name, _ in raw})
        if missing:
            return f"RAW lacks columns {missing} that the stream's key, cursor or checks name"
        curated = dict(self._columns(self.stream["curated_schema"]))
        if not curated:  # DDL commits a transaction, so this happens before any batch's transaction
            self._execute(self.stream["create_curated"], [])
            curated = dict(raw)
        changed = [
            f"{name} is {kind} in RAW, {curated[name]} in curated"
            for name, kind in raw
            if curated.get(name, kind) != kind
        ]
        if changed:
            return f"columns changed type: {changed}; alter the curated columns, then the gate resumes"
        for name, kind in raw:
            if name not in curated:
                if not _COLUMN_TYPE.fullmatch(kind):
                    return f"column {name} has type {kind!r}, which the gate does not add to curated"
                add = self.stream["add_curated_column"].format(column=_quoted(name), column_type=kind)
                self._execute(add, [])
        return None

    def _next_batch(self, raw_columns: list[tuple[str, str]]) -> str | None:
        """Checks, then promotes, holds, releases or skips the next batch; None when RAW holds nothing new."""
        after = self._first(self.shared["read_watermark"], [self.source, self.name])
        after_ns = after["AFTER_NS"] if after else None
        decision = self._first(self.shared["pending_decision"], [self.source, self.name, after_ns])
        cap = decision["THROUGH_NS"] if decision else None
        bounds = self._one(self.stream["batch_bounds"], [after_ns or 0, cap, cap])
        if decision is None and not bounds["ROWS_IN_BATCH"]:
            return None
        through_ns = cap if decision else bounds["THROUGH_NS"]
        batch_id = str(uuid.uuid4())
        self._execute_raw(BEGIN)
        try:
            status = self._check_and_decide(batch_id, after_ns, through_ns, bounds, decision, raw_columns)
        except Exception:
            self._execute_raw(ROLLBACK)
            raise
        if status is BatchStatus.SUPERSEDED:
            self._execute_raw(ROLLBACK)
            return self._record(BatchStatus.SUPERSEDED, "another run promoted this batch first")
        self._execute_raw(COMMIT)
        return status.value

    def _check_and_decide(
        self,
        batch_id: str,
        after_ns: int | None,
        through_ns: int,
        bounds: dict[str, Any],
        decision: dict[str, Any] | None,
        raw_columns: list[tuple[str, str]],
    ) -> BatchStatus:
        """Inside the batch's transaction: run every check, then merge and advance the watermark, or hold."""
        self._record(
            BatchStatus.CHECKING,
            None,
            batch_id=batch_id,
            bounds=(after_ns, through_ns, bounds["ROWS_IN_BATCH"], bounds["MAX_GENERATION_ID"]),
        )
        self._execute(self.shared["clear_failing_rows"], [self.source, self.name])
        window = [after_ns or 0, through_ns]
        for check in self.stream["checks"]:
            values = [json.dumps(check["values"])] if check["values"] else []
            self._execute(check["sql"], [self.source, self.name, batch_id, check["name"], *window, *values])
        declared = [
            {key: check[key] for key in ("name", "type", "columns", "severity")}
            for check in self.stream["checks"]
        ]
        self._execute(self.shared["record_results"], [json.dumps(declared), batch_id, batch_id])
        blocking = self._one(self.shared["blocking_failures"], [batch_id])["BLOCKING"]
        chosen = Decision(decision["DECISION"]) if decision else None
        promoted = None
        if chosen is None and blocking:
            status = BatchStatus.HELD
        elif not self._advance_watermark(after_ns, through_ns, batch_id):
            return BatchStatus.SUPERSEDED
        elif chosen is Decision.SKIP:
            status = BatchStatus.SKIPPED
        else:
            promoted = self._merge(window, raw_columns)
            status = BatchStatus.RELEASED if chosen is Decision.RELEASE else BatchStatus.PROMOTED
        decision_id = decision["DECISION_ID"] if decision else None
        self._execute(self.shared["close_batch"], [status.value, promoted, decision_id, batch_id])
        if decision_id:
            self._execute(self.shared["apply_decision"], [batch_id, decision_id])
        return status

    def _advance_watermark(self, after_ns: int | None, through_ns: int, batch_id: str) -> bool:
        """Moves the watermark from where this batch started, or reports that another run moved it."""
        if after_ns is None:
            params = [self.source, self.name, through_ns, batch_id]
            return bool(self._rows(self.shared["first_watermark"], params)[0][INSERTED])
        params = [through_ns, batch_id, self.source, self.name, after_ns]
        return bool(self._rows(self.shared["advance_watermark"], params)[0][UPDATED])

    def _merge(self, window: list[int], raw_columns: list[tuple[str, str]]) -> int:
        """Merges the batch into curated over every RAW column; returns the curated rows inserted or updated."""
        columns = [_quoted(name) for name, _ in raw_columns]
        fragments = self.stream["merge_fragments"]
        merge = self.stream["merge"].format(
            key_match=fragments["key_match"],
            assignments=", ".join(fragments["assignment"].format(column=column) for column in columns),
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
        params = [
            batch_id or str(uuid.uuid4()),
            self.run_id,
            self.source,
            self.name,
            status.value,
            *bounds,
            detail,
        ]
        self._execute(self.shared["record_batch"], params)
        return status.value

    def _columns(self, schema: str) -> list[tuple[str, str]]:
        return [
            (row["COLUMN_NAME"], row["COLUMN_TYPE"])
            for row in self._rows(self.shared["table_columns"], [schema, self.name])
        ]

    def _one(self, sql: str, params: list[Any]) -> Any:
        return self._rows(sql, params)[0]

    def _first(self, sql: str, params: list[Any]) -> Any:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

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
