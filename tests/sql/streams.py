"""A Snowflake standard stream, emulated on fakesnow (which has no streams) by diffing snapshots."""

from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple

from catalog.tables import EntityTableSpec


class StreamRow(NamedTuple):
    """One change record: which row, and its METADATA$ACTION and METADATA$ISUPDATE."""

    key: Hashable
    action: str
    is_update: bool
    image: str  # "before" (the row at the offset) or "after" (the row now)


def stream_delta(before: Mapping[Hashable, tuple], after: Mapping[Hashable, tuple]) -> list[StreamRow]:
    """What a standard stream shows between two versions of a table: net changes, row by row.

    An inserted row is an INSERT and a deleted row a DELETE, both with ISUPDATE false; an updated row is a
    DELETE of its old image plus an INSERT of its new image, both with ISUPDATE true; a row inserted and
    deleted between two reads does not appear at all.
    Limits: rows are matched by primary key, not by Snowflake's hidden row id, so deleting a key and
    inserting it again shows as an update pair (Snowflake shows a DELETE and an INSERT, ISUPDATE false);
    an update that leaves every value equal shows nothing here.
    """
    inserted = [StreamRow(key, "INSERT", False, "after") for key in after if key not in before]
    deleted = [StreamRow(key, "DELETE", False, "before") for key in before if key not in after]
    updated = [
        change
        for key in before
        if key in after and before[key] != after[key]
        for change in (StreamRow(key, "DELETE", True, "before"), StreamRow(key, "INSERT", True, "after"))
    ]
    return [*inserted, *deleted, *updated]


class EmulatedStream:
    """A table named like the real stream, holding the source columns plus the METADATA$ columns.

    `capture()` fills it with `stream_delta` between the offset snapshot and the table now; `consume()`
    advances the offset, standing in for the commit of the DML statement that read the stream.
    """

    def __init__(self, cursor: Any, table: EntityTableSpec, schema: str) -> None:
        self._cursor = cursor
        self._key = table.id_column
        self.name = f"{schema}.{table.stream_name}"
        self._source = f"{schema}.{table.name}"
        self._offset = f"{schema}.{table.name}_FS_STREAM_OFFSET"
        cursor.execute(
            f"CREATE TABLE {self.name} AS SELECT *, CAST(NULL AS VARCHAR) AS METADATA$ACTION, "
            f"CAST(NULL AS BOOLEAN) AS METADATA$ISUPDATE, CAST(NULL AS VARCHAR) AS METADATA$ROW_ID "
            f"FROM {self._source} WHERE FALSE"
        )
        self._take_offset()

    def capture(self) -> int:
        """Shows every change since the offset, as reading the stream in Snowflake would; returns the count."""
        delta = stream_delta(self._rows(self._offset), self._rows(self._source))
        self._cursor.execute(f"DELETE FROM {self.name}")
        for row in delta:
            self._cursor.execute(
                f"INSERT INTO {self.name} SELECT *, %(action)s, %(is_update)s, %(key)s "
                f"FROM {self._offset if row.image == 'before' else self._source} WHERE {self._key} = %(key)s",
                {"action": row.action, "is_update": row.is_update, "key": row.key},
            )
        return len(delta)

    def consume(self) -> None:
        """Empties the stream and moves the offset to now."""
        self._cursor.execute(f"DELETE FROM {self.name}")
        self._take_offset()

    def _take_offset(self) -> None:
        self._cursor.execute(f"CREATE OR REPLACE TABLE {self._offset} AS SELECT * FROM {self._source}")

    def _rows(self, table: str) -> dict[Hashable, tuple]:
        self._cursor.execute(f"SELECT * FROM {table}")
        names = [column[0] for column in self._cursor.description]
        key = names.index(self._key)
        return {row[key]: row for row in self._cursor.fetchall()}
