"""RAW tables shaped and written like Airbyte's, for the gate's tests on fakesnow.

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
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from catalog.quality_gate.objects import PromotedStream
from models.naming import Naming
from stack.airbyte.config import StreamConfig

if TYPE_CHECKING:
    from tests.sql.quality_gate_harness import GateWarehouse

AIRBYTE_COLUMNS = {
    "_AIRBYTE_RAW_ID": "VARCHAR NOT NULL",
    "_AIRBYTE_EXTRACTED_AT": "TIMESTAMP_TZ NOT NULL",
    "_AIRBYTE_META": "VARIANT NOT NULL",
    "_AIRBYTE_GENERATION_ID": "NUMBER",
}


class RawStream:
    """One stream's RAW table, written the way Airbyte's Snowflake destination writes it."""

    def __init__(self, gate: "GateWarehouse", source: str, config: StreamConfig, columns: Mapping[str, str]):
        self.gate, self.config, self.columns = gate, config, dict(columns)
        self.promoted = PromotedStream.from_config(source, config)
        self.raw = gate.objects.naming.in_database_unquoted(Naming.raw_schema(source), self.promoted.table)
        self.curated = gate.objects.naming.in_database_unquoted(
            Naming.curated_schema(source), self.promoted.table
        )
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


def _quoted(name: str) -> str:
    return f'"{name}"'
