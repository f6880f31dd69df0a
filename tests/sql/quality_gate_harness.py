"""A fakesnow database with the gate's objects, RAW tables shaped and written like Airbyte's (airbyte_raw.py),
and the gate itself."""

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from fakesnow.instance import FakeSnow
from snowflake.connector import DictCursor

from catalog.quality_gate.objects import (
    BATCHES,
    HELD_BATCHES,
    RESULTS,
    WATERMARKS,
    GateObjects,
    held_batches_view,
)
from catalog.quality_gate.procedures import decide_procedure, gate_procedure
from catalog.quality_gate.tables import GATE_TABLES
from models.naming import Naming
from models.quality_gate import GateSettings
from stack.airbyte.config import StreamConfig
from tests.sql import shims
from tests.sql.airbyte_raw import RawStream
from tests.sql.snowpark_session import FakeSession

DATABASE = "GATE_TEST"
OPS = "SOPHIA_OPS"
OBJECTS = GateObjects(Naming(prefix="SOPHIA_AI_TEST", database=DATABASE), OPS)
FIRST_EXTRACTION = datetime(2024, 6, 1, tzinfo=UTC)
DEFAULT_SETTINGS = GateSettings()


def calls_stream(**overrides: Any) -> StreamConfig:
    """Gong's calls stream: blocking checks on the key, cursor and direction, a warn on scope."""
    declared = {
        "name": "calls",
        "cursorField": ["started"],
        "primaryKey": [["id"]],
        "checks": [
            {"check": "not_null", "columns": ["id", "started"]},
            {"check": "unique"},
            {"check": "accepted_values", "column": "direction", "values": ["Inbound", "Outbound"]},
            {
                "check": "accepted_values",
                "column": "scope",
                "values": ["Internal", "External"],
                "severity": "warn",
            },
        ],
        **overrides,
    }
    return StreamConfig.model_validate(declared)


CALLS_COLUMNS = {"ID": "VARCHAR", "STARTED": "TIMESTAMP_TZ", "DIRECTION": "VARCHAR", "SCOPE": "VARCHAR"}
CALL = {"DIRECTION": "Inbound", "SCOPE": "External"}


def call(call_id: str | None, started: str = "2024-05-01T10:00:00+00:00", **fields: Any) -> dict[str, Any]:
    """A Gong call record as the source sends it."""
    return {"ID": call_id, "STARTED": started, **CALL, **fields}


class GateWarehouse:
    """The gate's tables and view, RAW and curated schemas for each source, and the gate's procedures."""

    objects = OBJECTS

    def __init__(self, sources: Iterable[str] = ("GONG",)) -> None:
        shims.allow_merge_in_transactions()
        self.instance = FakeSnow()
        self.connection = self.instance.connect(database=DATABASE, schema=OPS, paramstyle="qmark")
        # Airbyte writes RAW in its own session, as on Snowflake: its commits are not the gate's transaction's.
        self.airbyte_connection = self.instance.connect(database=DATABASE, schema=OPS, paramstyle="qmark")
        self.duck = self.connection._duck_conn
        shims.install_alert_functions(self.duck)
        for source in sources:
            for schema in (Naming.raw_schema(source), Naming.curated_schema(source)):
                self.execute(f"CREATE SCHEMA {DATABASE}.{schema}")
        self.execute(f"CREATE SCHEMA IF NOT EXISTS {DATABASE}.{OPS}")
        for table in GATE_TABLES.values():
            self.execute(table.create_table_sql(f"{DATABASE}.{OPS}"))
        self.execute(f"CREATE VIEW {OBJECTS.ops(HELD_BATCHES)} AS {held_batches_view(OBJECTS)}")
        self.session = FakeSession(self.connection)
        self.streams: dict[str, list[RawStream]] = {}
        self.clock = FIRST_EXTRACTION

    def close(self) -> None:
        """Frees the DuckDB database."""
        self.duck.close()

    def reset(self) -> "GateWarehouse":
        """Empty again: no RAW or curated tables, no gate state; much faster than building anew."""
        for streams in self.streams.values():
            for stream in streams:
                for table in (stream.raw, stream.curated):
                    self.execute(f"DROP TABLE IF EXISTS {table}")
        for table in GATE_TABLES:
            self.execute(f"DELETE FROM {OBJECTS.ops(table)}")
        self.streams.clear()
        self.session.before.clear()
        self.clock = FIRST_EXTRACTION
        return self

    def stream(
        self, source: str, config: StreamConfig, columns: Mapping[str, str] = CALLS_COLUMNS
    ) -> RawStream:
        """A promoted stream of a source; its RAW table appears on land()."""
        stream = RawStream(self, source, config, columns)
        self.streams.setdefault(source, []).append(stream)
        return stream

    def run(self, source: str = "GONG", settings: GateSettings = DEFAULT_SETTINGS) -> dict[str, list[str]]:
        """One gate run: the source's procedure body, executed against this database as Snowflake would."""
        streams = [stream.promoted for stream in self.streams[source]]
        return _entry_point(gate_procedure(OBJECTS, source, streams, settings).body)(self.session)

    def decide(
        self, source: str, stream: str, decision: str, reason: str, batch_id: str | None = None
    ) -> str:
        """CALL SOPHIA_OPS.DECIDE_HELD_BATCH(source, stream, batch_id, decision, reason); by default on the
        batch the held-batches view lists for the stream, as an operator reads it there."""
        if batch_id is None:
            held = [row for row in self.held() if (row["SOURCE"], row["STREAM"]) == (source, stream.upper())]
            batch_id = held[0]["BATCH_ID"] if held else "no-held-batch"
        decide = _entry_point(decide_procedure(OBJECTS).body)
        return decide(self.session, source, stream, batch_id, decision, reason)

    def airbyte(self, sql: str, params: list[Any] | None = None) -> None:
        """One statement of Airbyte's, in its session."""
        self.airbyte_connection.cursor().execute(sql, params)

    def execute(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """One statement; its rows, if any."""
        cursor = self.connection.cursor(DictCursor)
        cursor.execute(sql, params)
        return cursor.fetchall()

    def table(self, name: str, order_by: Iterable[str]) -> list[dict[str, Any]]:
        """Every row of a table, ordered."""
        return self.execute(f"SELECT * FROM {name} ORDER BY {', '.join(order_by)}")

    def watermark(self, source: str, stream: str) -> datetime | None:
        """PROMOTED_THROUGH of a stream, or None before its first promotion."""
        rows = self.execute(
            f"SELECT PROMOTED_THROUGH FROM {OBJECTS.ops(WATERMARKS)} WHERE SOURCE = ? AND STREAM = ?",
            [source, stream],
        )
        return rows[0]["PROMOTED_THROUGH"] if rows else None

    def batches(self) -> list[dict[str, Any]]:
        """Every gate pass, in order."""
        return self.table(OBJECTS.ops(BATCHES), ["STARTED_AT"])

    def results(self, batch_id: str) -> dict[str, dict[str, Any]]:
        """A batch's results by check name, FAILING_KEYS decoded."""
        rows = self.execute(f"SELECT * FROM {OBJECTS.ops(RESULTS)} WHERE BATCH_ID = ?", [batch_id])
        return {row["CHECK_NAME"]: {**row, "FAILING_KEYS": json.loads(row["FAILING_KEYS"])} for row in rows}

    def held(self) -> list[dict[str, Any]]:
        """The held-batches view."""
        return self.table(OBJECTS.ops(HELD_BATCHES), ["SOURCE", "STREAM"])


_ENTRY_POINTS: dict[str, Any] = {}


def _entry_point(body: str) -> Any:
    """The procedure body run as Snowflake runs an inline handler: the module's code, then its `main`."""
    if body not in _ENTRY_POINTS:
        namespace: dict[str, Any] = {"__name__": "inline_handler"}
        exec(compile(body, "<procedure body>", "exec"), namespace)
        _ENTRY_POINTS[body] = namespace["main"]
    return _ENTRY_POINTS[body]
