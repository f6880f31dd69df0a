"""The gate's objects in the operations schema and the streams it promotes, as the other gate modules read them."""

from dataclasses import dataclass
from typing import Protocol

from catalog.quality_gate.handler import AIRBYTE_COLUMNS, CHECKED_STATUSES, PROBLEM_STATUSES, BatchStatus
from catalog.sql_files import SqlValue, render_sql
from models.naming import Naming
from models.quality_gate import GateCheck, Severity, snowflake_column

RESULTS = "DATA_QUALITY_RESULTS"
BATCHES = "QUALITY_GATE_BATCHES"
WATERMARKS = "PROMOTION_WATERMARKS"
DECISIONS = "QUALITY_GATE_DECISIONS"
FAILING_ROWS = "DATA_QUALITY_FAILING_ROWS"
DECIDED_ROWS = "QUALITY_GATE_DECIDED_ROWS"
HELD_BATCHES = "HELD_QUALITY_BATCHES"


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

    @property
    def gate_checks(self) -> tuple[GateCheck, ...]:
        """The checks the gate runs on it, resolved once when the declaration was validated."""
        ...


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
        return cls(
            source=source,
            table=snowflake_column(stream.name),
            key_columns=tuple(snowflake_column(path[0]) for path in stream.primary_key),
            cursor_column=snowflake_column(stream.cursor_field[0]),
            checks=stream.gate_checks,
        )

    @property
    def required_columns(self) -> list[str]:
        """What the gate reads from RAW: Airbyte's columns, the key, the cursor and every checked column."""
        checked = [column for check in self.checks for column in check.columns]
        names = [*AIRBYTE_COLUMNS, *self.key_columns, self.cursor_column, *checked]
        return sorted(set(names))


def held_batches_view(objects: GateObjects) -> str:
    """The SELECT of the held-batches view: each held stream, its bounds, since when and what fails."""
    return render_sql("quality_gate/held_batches_view.sql", **objects.sql_values())
