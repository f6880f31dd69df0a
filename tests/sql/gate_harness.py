"""A fakesnow database with the gate's objects, RAW tables shaped and written like Airbyte's, and the gate itself.

RAW tables are created as Airbyte's Snowflake destination (4.x, direct load) creates them: upper-cased
quoted column names, its four columns first (SnowflakeColumnManager.kt: _AIRBYTE_RAW_ID VARCHAR NOT NULL,
_AIRBYTE_EXTRACTED_AT TIMESTAMP_TZ NOT NULL, _AIRBYTE_META VARIANT NOT NULL, _AIRBYTE_GENERATION_ID NUMBER),
then the stream's typed columns. A deduplicated sync writes its records to a temporary table and upserts
them into RAW by primary key with the newest cursor, then extraction time, winning, all columns included
(DirectLoadTableDedupStreamLoader.close and upsertTable in SnowflakeDirectLoadSqlGenerator.kt); an
appended sync inserts its records as they come. Each sync's records are extracted after the previous
sync's, as a connection's syncs never overlap.
"""

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from fakesnow.instance import FakeSnow
from snowflake.connector import DictCursor

from catalog.quality_gate.objects import (
    BATCHES,
    HELD_BATCHES,
    RESULTS,
    WATERMARKS,
    GateObjects,
    PromotedStream,
    held_batches_view,
)
from catalog.quality_gate.procedures import decide_procedure, gate_procedure
from catalog.quality_gate.tables import GATE_TABLES
from models.naming import Naming
from models.quality_gate import GateSettings
from stack.airbyte.config import StreamConfig
from tests.sql import shims
from tests.sql.snowpark_session import FakeSession

DATABASE = "GATE_TEST"
OPS = "SOPHIA_OPS"
OBJECTS = GateObjects(Naming(prefix="SOPHIA_AI_TEST", database=DATABASE), OPS)
AIRBYTE_COLUMNS = {
    "_AIRBYTE_RAW_ID": "VARCHAR NOT NULL",
    "_AIRBYTE_EXTRACTED_AT": "TIMESTAMP_TZ NOT NULL",
    "_AIRBYTE_META": "VARIANT NOT NULL",
    "_AIRBYTE_GENERATION_ID": "NUMBER",
}
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


class RawStream:
    """One stream's RAW table, written the way Airbyte's Snowflake destination writes it."""

    def __init__(self, gate: "GateWarehouse", source: str, config: StreamConfig, columns: Mapping[str, str]):
        self.gate, self.config, self.columns = gate, config, dict(columns)
        self.promoted = PromotedStream.from_config(source, config)
        self.raw = OBJECTS.naming.in_database_unquoted(Naming.raw_schema(source), self.promoted.table)
        self.curated = OBJECTS.naming.in_database_unquoted(Naming.curated_schema(source), self.promoted.table)
        self.generation = 1

    def land(self) -> None:
        """The first sync creates the table."""
        definitions = [
            f"{_quoted(name)} {kind}" for name, kind in {**AIRBYTE_COLUMNS, **self.columns}.items()
        ]
        self.gate.airbyte(f"CREATE OR REPLACE TABLE {self.raw} ({', '.join(definitions)})")

    def sync(self, *records: dict[str, Any]) -> list[str]:
        """A deduplicated sync: records to a staging table, then Airbyte's upsert; returns the raw ids.

        Airbyte upserts with one MERGE; here it is the UPDATE and INSERT that MERGE amounts to, because
        fakesnow's MERGE emulation matches a NULL key against its outer join's padding and drops the row.
        """
        staging = f"{self.raw}_AIRBYTE_TMP"
        self.gate.airbyte(f"CREATE OR REPLACE TABLE {staging} LIKE {self.raw}")
        raw_ids = self._insert(staging, records)
        names = [_quoted(name) for name in {**AIRBYTE_COLUMNS, **self.columns}]
        key = [_quoted(name) for name in self.promoted.key_columns]
        cursor, extracted = _quoted(self.promoted.cursor_column), _quoted("_AIRBYTE_EXTRACTED_AT")
        same_key = " AND ".join(f"target.{k} IS NOT DISTINCT FROM new.{k}" for k in key)
        newer = (
            f"(target.{cursor} < new.{cursor}"
            f" OR (target.{cursor} = new.{cursor} AND target.{extracted} < new.{extracted})"
            f" OR (target.{cursor} IS NULL AND new.{cursor} IS NULL AND target.{extracted} < new.{extracted})"
            f" OR (target.{cursor} IS NULL AND new.{cursor} IS NOT NULL))"
        )
        newest = (
            f"(SELECT * FROM {staging} QUALIFY ROW_NUMBER() OVER "
            f"(PARTITION BY {', '.join(key)} ORDER BY {cursor} DESC NULLS LAST, {extracted} DESC) = 1)"
        )
        self.gate.airbyte(
            f"UPDATE {self.raw} AS target SET {', '.join(f'{n} = new.{n}' for n in names)} "
            f"FROM {newest} AS new WHERE {same_key} AND {newer}"
        )
        self.gate.airbyte(
            f"INSERT INTO {self.raw} ({', '.join(names)}) SELECT {', '.join(f'new.{n}' for n in names)} "
            f"FROM {newest} AS new WHERE NOT EXISTS (SELECT 1 FROM {self.raw} AS target WHERE {same_key})"
        )
        self.gate.airbyte(f"DROP TABLE {staging}")
        return raw_ids

    def cdc_delete(self, *keys: str) -> None:
        """CDC hard deletes: Airbyte's upsert MERGE removes the row whose record carries _ab_cdc_deleted_at
        (SnowflakeDirectLoadSqlGenerator.upsertTable, `WHEN MATCHED AND "_ab_cdc_deleted_at" IS NOT NULL ... THEN
        DELETE`, the default cdcDeletionMode): no row of the deleted record is left in RAW."""
        [key] = self.promoted.key_columns
        self.gate.airbyte(
            f"DELETE FROM {self.raw} WHERE {_quoted(key)} IN ({', '.join('?' for _ in keys)})", list(keys)
        )

    def refresh(self, *records: dict[str, Any]) -> list[str]:
        """A truncate refresh: the sync writes a new generation to a temporary table and swaps it in whole
        (DirectLoadTableDedupTruncateStreamLoader), so RAW then holds exactly the re-extracted records."""
        self.generation += 1
        staging = f"{self.raw}_AIRBYTE_TMP"
        self.gate.airbyte(f"CREATE OR REPLACE TABLE {staging} LIKE {self.raw}")
        raw_ids = self._insert(staging, records)
        self.gate.airbyte(f"DELETE FROM {self.raw}")
        self.gate.airbyte(f"INSERT INTO {self.raw} SELECT * FROM {staging}")
        self.gate.airbyte(f"DROP TABLE {staging}")
        return raw_ids

    def append(self, *records: dict[str, Any]) -> list[str]:
        """An appended sync (Incremental Append, or an event feed): records land as they come."""
        return self._insert(self.raw, records)

    def add_column(self, name: str, kind: str) -> None:
        """Schema propagation adds a nullable column to RAW (SnowflakeDirectLoadSqlGenerator.alterTable)."""
        self.gate.airbyte(f'ALTER TABLE {self.raw} ADD COLUMN "{name}" {kind}')
        self.columns[name] = kind

    def drop_column(self, name: str) -> None:
        """A field the source no longer sends is dropped from RAW (alterTable's deleted columns)."""
        self.gate.airbyte(f'ALTER TABLE {self.raw} DROP COLUMN "{name}"')
        del self.columns[name]

    def rows(self) -> list[dict[str, Any]]:
        """RAW, by key."""
        return self.gate.table(self.raw, self.promoted.key_columns)

    def curated_rows(self) -> list[dict[str, Any]]:
        """The curated table, by key."""
        return self.gate.table(self.curated, self.promoted.key_columns)

    def _insert(self, table: str, records: Iterable[dict[str, Any]]) -> list[str]:
        """One sync's records, extracted one millisecond apart after the previous sync's, in one INSERT.

        A record may carry `_EXTRACTED_AT` (a sync whose clock is behind: its rows commit after later ones) and
        `_CHANGES`, what Airbyte lists in _AIRBYTE_META.changes for it, e.g. a value it nulled.
        """
        self.gate.clock += timedelta(minutes=1)
        rows = [
            {
                "_AIRBYTE_RAW_ID": str(uuid.uuid4()),
                "_AIRBYTE_EXTRACTED_AT": (
                    record.get("_EXTRACTED_AT") or self.gate.clock + timedelta(milliseconds=position)
                ).isoformat(),
                "_AIRBYTE_META": json.dumps({"sync_id": 1, "changes": record.get("_CHANGES", [])}),
                "_AIRBYTE_GENERATION_ID": self.generation,
                **{name: record.get(name) for name in self.columns},
            }
            for position, record in enumerate(records)
        ]
        names = list({**AIRBYTE_COLUMNS, **self.columns})
        binds = ", ".join("PARSE_JSON(?)" if name == "_AIRBYTE_META" else "?" for name in names)
        selects = " UNION ALL ".join(f"SELECT {binds}" for _ in rows)
        params = [row[name] for row in rows for name in names]
        self.gate.airbyte(f"INSERT INTO {table} ({', '.join(map(_quoted, names))}) {selects}", params)
        return [row["_AIRBYTE_RAW_ID"] for row in rows]


class GateWarehouse:
    """The gate's tables and view, RAW and curated schemas for each source, and the gate's procedures."""

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


def _quoted(name: str) -> str:
    return f'"{name}"'


def _entry_point(body: str) -> Any:
    """The procedure body run as Snowflake runs an inline handler: the module's code, then its `main`."""
    if body not in _ENTRY_POINTS:
        namespace: dict[str, Any] = {"__name__": "inline_handler"}
        exec(compile(body, "<procedure body>", "exec"), namespace)
        _ENTRY_POINTS[body] = namespace["main"]
    return _ENTRY_POINTS[body]
