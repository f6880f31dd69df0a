"""The data-quality gate's SQL, procedures and alerts, rendered from each promoted stream's declaration."""

# Why a Python stored procedure. The gate merges RAW tables whose columns appear with the source's fields, so
# the MERGE's column lists are only known when it runs: dynamic SQL either way. Snowflake's MERGE ... ALL BY
# NAME cannot do it, since it needs the same columns on both sides (MERGE docs) and curated keeps columns
# RAW dropped. A Snowflake Scripting procedure could build the lists with EXECUTE IMMEDIATE, but its control
# flow would run nowhere before production; a Python handler takes the same rendered statements and runs in
# the tests against the emulator through a small Session adapter: the code that runs in Snowflake is tested.

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from catalog import quality_gate_decide, quality_gate_handler
from catalog.quality_gate_handler import CHECKED_STATUSES, PROBLEM_STATUSES, BatchStatus
from catalog.quality_gate_plan import stream_plan
from catalog.sql_files import SqlValue, render_sql
from models.enums import AlertChannel
from models.naming import Naming
from models.quality_checks import (
    GateCheck,
    GateSettings,
    QualityCheck,
    Severity,
    promoted_stream_checks,
    snowflake_column,
)

RESULTS = "DATA_QUALITY_RESULTS"
BATCHES = "QUALITY_GATE_BATCHES"
WATERMARKS = "PROMOTION_WATERMARKS"
DECISIONS = "QUALITY_GATE_DECISIONS"
FAILING_ROWS = "DATA_QUALITY_FAILING_ROWS"
DECIDED_ROWS = "QUALITY_GATE_DECIDED_ROWS"
HELD_BATCHES = "HELD_QUALITY_BATCHES"
DECIDE_PROCEDURE = "DECIDE_HELD_BATCH"
MIN_EMBEDDING_COVERAGE_PCT = 95

PYTHON_RUNTIME = "3.11"
# pulumi-snowflake's ProcedurePython takes the Snowpark version and writes PACKAGES =
# ('snowflake-snowpark-python==<version>') (provider pkg/resources/procedure_python.go); pinned, as its import
# needs (docs/resources/procedure_python.md), to a release Snowflake's Anaconda channel builds for 3.11.
SNOWPARK_VERSION = "1.30.0"
# The statements every stream of a source shares, by the name the handler runs them by.
_SHARED_STATEMENTS = {
    "table_columns": "quality/gate/table_columns.sql",
    "ensure_watermark": "quality/gate/ensure_watermark.sql",
    "lock_stream": "quality/gate/lock_stream.sql",
    "read_watermark": "quality/gate/read_watermark.sql",
    "pending_decision": "quality/gate/pending_decision.sql",
    "record_decided_rows": "quality/gate/record_decided_rows.sql",
    "record_batch": "quality/gate/record_batch.sql",
    "clear_failing_rows": "quality/gate/clear_failing_rows.sql",
    "record_results": "quality/gate/record_results.sql",
    "blocking_failures": "quality/gate/blocking_failures.sql",
    "advance_watermark": "quality/gate/advance_watermark.sql",
    "close_batch": "quality/gate/close_batch.sql",
    "apply_decision": "quality/gate/apply_decision.sql",
}
_HANDLER_SOURCE = Path(quality_gate_handler.__file__).read_text()
# The decision handler's own code after the gate handler's, whose names it uses instead of importing them.
_DECIDE_SOURCE = re.sub(
    r"^from catalog\.quality_gate_handler import .*$\n",
    "",
    Path(quality_gate_decide.__file__).read_text(),
    flags=re.M,
)


class GateAlert(StrEnum):
    """The gate's alerts, by what they raise."""

    NEW_FAILURES = "DATA_QUALITY_FAILURES_ALERT"
    HELD_TOO_LONG = "DATA_QUALITY_HELD_BATCHES_ALERT"
    EMBEDDING_COVERAGE = "EMBEDDING_COVERAGE_ALERT"


@dataclass(frozen=True)
class GateObjects:
    """The gate's tables and views in the stack's operations schema."""

    naming: Naming
    ops_schema: str

    def ops(self, name: str) -> str:
        """`DB.SOPHIA_OPS.<name>`."""
        return self.naming.in_database_unquoted(self.ops_schema, name)

    def sql_values(self) -> dict[str, SqlValue]:
        """Every name and enum the gate's files take that does not depend on a stream."""
        return {
            "results": self.ops(RESULTS),
            "batches": self.ops(BATCHES),
            "watermarks": self.ops(WATERMARKS),
            "decisions": self.ops(DECISIONS),
            "failing_rows": self.ops(FAILING_ROWS),
            "decided_rows": self.ops(DECIDED_ROWS),
            "held_batches": self.ops(HELD_BATCHES),
            "information_schema": self.naming.in_database_unquoted("INFORMATION_SCHEMA"),
            "checked_statuses": CHECKED_STATUSES,
            "problem_statuses": PROBLEM_STATUSES,
            "held_status": BatchStatus.HELD,
            "blocking_severity": Severity.ERROR,
        }


class DeclaredStream(Protocol):
    """A stream as the stack config declares it (the stack's StreamConfig): the catalog sits below it."""

    name: str
    cursor_field: tuple[str, ...]
    primary_key: tuple[tuple[str, ...], ...]
    checks: tuple[QualityCheck, ...]


@dataclass(frozen=True)
class PromotedStream:
    """A deduplicated stream: RAW table, curated table, key, cursor and the checks between them."""

    source: str
    table: str
    key_columns: tuple[str, ...]
    cursor_column: str
    checks: tuple[GateCheck, ...]
    # The declared row access policy (DB.SOPHIA_OPS.<name>) and the column it binds, if one restricts it.
    row_access: tuple[str, str] | None = None

    @classmethod
    def from_config(cls, source: str, stream: "DeclaredStream") -> "PromotedStream":
        """Columns as Airbyte's Snowflake destination names them: upper-cased (SnowflakeNamingUtils.kt)."""
        checks = promoted_stream_checks(stream.name, stream.primary_key, stream.cursor_field, stream.checks)
        return cls(
            source=source,
            table=snowflake_column(stream.name),
            key_columns=tuple(snowflake_column(path[0]) for path in stream.primary_key),
            cursor_column=snowflake_column(stream.cursor_field[0]),
            checks=checks,
        )

    @property
    def required_columns(self) -> list[str]:
        """What the gate reads from RAW: Airbyte's columns, the key, the cursor and every checked column."""
        checked = [column for check in self.checks for column in check.columns]
        names = [*quality_gate_handler.AIRBYTE_COLUMNS, *self.key_columns, self.cursor_column, *checked]
        return sorted(set(names))


def held_batches_view(objects: GateObjects) -> str:
    """The SELECT of the held-batches view: each held stream, its bounds, since when and what fails."""
    return render_sql("quality/held_batches_view.sql", **objects.sql_values())


def gate_plan(
    objects: GateObjects, source: str, streams: Sequence[PromotedStream], settings: GateSettings
) -> dict[str, Any]:
    """Everything the gate's handler runs for one source, rendered: shared statements, then per stream."""
    values = objects.sql_values()
    shared = {name: render_sql(path, **values) for name, path in _SHARED_STATEMENTS.items()}
    return {
        "source": source,
        "batches": objects.ops(BATCHES),
        "held_batches": objects.ops(HELD_BATCHES),
        "overlap_ns": settings.overlap_minutes * 60 * 10**9,
        "max_delete_share": settings.max_delete_share,
        "statements": shared,
        "streams": [stream_plan(objects, stream, settings) for stream in streams],
    }


@dataclass(frozen=True)
class ProcedureSpec:
    """A Python stored procedure to declare: what pulumi-snowflake's ProcedurePython takes."""

    name: str
    arguments: tuple[tuple[str, str], ...]
    return_type: str
    execute_as: str
    body: str
    handler: str = "main"
    runtime_version: str = PYTHON_RUNTIME
    snowpark_package: str = SNOWPARK_VERSION


def gate_procedure(
    objects: GateObjects, source: str, streams: Sequence[PromotedStream], settings: GateSettings
) -> ProcedureSpec:
    """The source's gate, with the owner's rights: whoever may call it needs no rights on RAW or curated."""
    body = _procedure_body(
        gate_plan(objects, source, streams, settings),
        "def main(session):\n    return run_gate(session, PLAN)",
    )
    return ProcedureSpec(Naming.quality_gate_procedure(source), (), "VARIANT", "OWNER", body)


def decide_procedure(objects: GateObjects) -> ProcedureSpec:
    """The one statement that releases or skips a held batch's failing rows; caller's rights, for CURRENT_USER().

    `CALL SOPHIA_OPS.DECIDE_HELD_BATCH('GONG', 'CALLS', '<BATCH_ID>', 'release', 'Gong confirmed the call has no owner')`
    """
    values = objects.sql_values()
    plan = {
        "decide_held_batch": render_sql("quality/decide_held_batch.sql", **values),
        "held_batches": objects.ops(HELD_BATCHES),
        "held_batch": render_sql("quality/gate/held_batch.sql", **values),
    }
    entry = (
        "def main(session, source, stream, batch_id, decision, reason):\n"
        "    return decide_held_batch(session, PLAN, source, stream, batch_id, decision, reason)"
    )
    arguments = tuple((name, "VARCHAR") for name in ("SOURCE", "STREAM", "BATCH_ID", "DECISION", "REASON"))
    body = _procedure_body(plan, entry, f"{_HANDLER_SOURCE}\n\n{_DECIDE_SOURCE}")
    return ProcedureSpec(DECIDE_PROCEDURE, arguments, "VARCHAR", "CALLER", body)


def _procedure_body(plan: Mapping[str, Any], entry: str, source: str = _HANDLER_SOURCE) -> str:
    """The handler's source, the rendered plan it runs, and the procedure's entry point."""
    body = f"{source}\n\nPLAN = json.loads({json.dumps(plan)!r})\n\n\n{entry}\n"
    if "$$" in body:  # pulumi-snowflake wraps the definition in $$ ... $$
        raise ValueError("a procedure body may not contain $$")
    return body


def gate_task_statement(objects: GateObjects, source: str) -> str:
    """What the source's gate task runs, on schedule and on EXECUTE TASK."""
    return render_sql("quality/task_body.sql", procedure=objects.ops(Naming.quality_gate_procedure(source)))


@dataclass(frozen=True)
class AlertSpec:
    """An alert to declare: its condition and action; schedule and warehouse are the declarer's."""

    name: str
    condition: str
    action: str


def gate_alerts(
    objects: GateObjects,
    integration: str,
    settle_minutes: int,
    max_hold_minutes: int,
    freshness_view: str,
    *,
    channel: AlertChannel,
) -> list[AlertSpec]:
    """The gate's three alerts: new failures, streams held too long, embedding coverage below 95 %.

    settle_minutes is the gate task's timeout: the new-failures alert only reads rows that old, which every
    run has committed or rolled back by then. A hold shorter than that could not be told from a slow run.
    """
    if max_hold_minutes < settle_minutes:
        raise ValueError(
            f"max_hold_minutes {max_hold_minutes} must be at least the gate task's timeout ({settle_minutes})"
        )
    values = {
        **objects.sql_values(),
        "settle_minutes": settle_minutes,
        "max_hold_minutes": max_hold_minutes,
        "freshness": freshness_view,
        "min_coverage_pct": MIN_EMBEDDING_COVERAGE_PCT,
    }
    conditions = {
        GateAlert.NEW_FAILURES: "quality/alerts/new_failures.sql",
        GateAlert.HELD_TOO_LONG: "quality/alerts/held_too_long.sql",
        GateAlert.EMBEDDING_COVERAGE: "quality/alerts/embedding_coverage.sql",
    }
    notify = "quality/alerts/notify_webhook.sql" if channel.is_webhook else "quality/alerts/notify.sql"
    return [
        AlertSpec(
            alert.value,
            render_sql(path, **values),
            render_sql(notify, alert=alert.value, integration=integration),
        )
        for alert, path in conditions.items()
    ]
