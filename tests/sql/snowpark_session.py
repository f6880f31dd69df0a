"""The part of a Snowpark Session the gate's handler uses, over a fakesnow connection, so the handler runs here.

Snowpark documents `Session.sql(query, params)` with qmark binds only, and `DataFrame.collect()` returning
rows readable by column name (Session.sql and Row API docs); DML returns its counts as rows too, under
Snowflake's names such as "number of rows inserted", which fakesnow reproduces. Only that much is adapted.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from snowflake.connector import DictCursor


@dataclass
class _Query:
    session: "FakeSession"
    query: str
    params: Sequence[Any] | None

    def collect(self) -> list[dict[str, Any]]:
        """Runs the statement and returns every row, keyed by column name as Snowpark's Row is."""
        for hook in self.session.before:
            hook(self.query)
        cursor = self.session.connection.cursor(DictCursor)
        cursor.execute(self.query, self.params)
        return cursor.fetchall()


@dataclass
class FakeSession:
    """`sql(query, params).collect()` against a fakesnow connection opened with paramstyle="qmark"."""

    connection: Any
    before: list[Callable[[str], None]] = field(
        default_factory=list
    )  # lets a test interfere, e.g. fail a step

    def sql(self, query: str, params: Sequence[Any] | None = None) -> _Query:
        """A lazily run statement, as Snowpark's DataFrame is until collect()."""
        return _Query(self, query, list(params) if params is not None else None)
