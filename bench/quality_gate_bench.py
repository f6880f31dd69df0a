"""The data-quality gate on the emulator: one 1,000-row batch checked and promoted into curated tables of
10,000 and of 1,000,000 rows, in one run, so the ratio shows what grows with the table; and the same run with
100 CDC deletes in the batch, and with a 60-minute overlap window re-read, as ratios to the plain run (no
window, nothing deleted) at the same size.

Run: `.venv/bin/python -m bench.quality_gate_bench` (about a minute) on an otherwise idle machine. The gate is the
stored procedure's own body, run on fakesnow through the tests' Snowpark-session adapter; RAW and curated
start with the same rows, as after earlier promotions, and each timed batch holds 500 changed rows and 500
new ones, extracted after everything before.
"""

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from catalog.quality_gate.objects import WATERMARKS
from models.quality_gate import GateSettings
from tests.sql.quality_gate_harness import FIRST_EXTRACTION, OBJECTS, GateWarehouse, RawStream, calls_stream
from tests.sql.snowpark_session import FakeSession

SIZES = (10_000, 1_000_000)
BATCH = 1_000
REPEATS = 3
DELETES = 100
# The floor is the plain run: no overlap window, nothing deleted; each variant adds one thing to it.
VARIANTS = {
    "plain": (GateSettings(overlap_minutes=0), 0),
    "with deletes": (GateSettings(overlap_minutes=0), DELETES),
    "with overlap window": (GateSettings(overlap_minutes=60), 0),
}
# Statements are told apart by the comment their file opens with.
PHASES = {
    "-- dbt's": "checks",
    "-- One result per declared check": "checks",
    "-- The batch into curated": "merge",
}


class TimedSession(FakeSession):
    """The adapter, adding up the seconds spent per phase of the gate."""

    def __init__(self, connection: Any) -> None:
        super().__init__(connection)
        self.seconds: dict[str, float] = defaultdict(float)

    def sql(self, query: str, params: Any = None) -> Any:
        statement = super().sql(query, params)
        collect = statement.collect
        phase = next((name for prefix, name in PHASES.items() if query.lstrip().startswith(prefix)), "other")

        def timed() -> list[dict[str, Any]]:
            start = time.perf_counter()
            rows = collect()
            self.seconds[phase] += time.perf_counter() - start
            return rows

        statement.collect = timed  # type: ignore[method-assign]
        return statement


def _promoted_history(gate: GateWarehouse, calls: RawStream, size: int) -> None:
    """RAW and curated with `size` rows already promoted, written straight into DuckDB for speed."""
    calls.land()
    start = FIRST_EXTRACTION.isoformat()
    gate.duck.execute(
        f"""
        INSERT INTO {calls.raw}
        SELECT uuid()::VARCHAR, TIMESTAMPTZ '{start}' + to_microseconds(i), '{{}}'::JSON, 1,
               'c' || i, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i), 'Inbound', 'External'
        FROM range({size}) AS t(i)
        """
    )
    gate.execute(f"CREATE TABLE {calls.curated} LIKE {calls.raw}")
    gate.duck.execute(f"INSERT INTO {calls.curated} SELECT * FROM {calls.raw}")
    gate.execute(
        f"INSERT INTO {OBJECTS.ops(WATERMARKS)} (SOURCE, STREAM, PROMOTED_THROUGH, BATCH_ID, UPDATED_AT) "
        f"SELECT 'GONG', 'CALLS', MAX(_AIRBYTE_EXTRACTED_AT), 'history', CURRENT_TIMESTAMP() FROM {calls.raw}"
    )
    gate.clock = FIRST_EXTRACTION + timedelta(microseconds=size, days=1)


def _batch(size: int, repeat: int) -> Iterator[dict[str, Any]]:
    """Half the rows change existing calls (a later start), half are new calls."""
    for i in range(BATCH // 2):
        yield {
            "ID": f"c{(repeat * BATCH + i * 7) % size}",
            "STARTED": "2025-01-01T00:00:00+00:00",
            "DIRECTION": "Outbound",
            "SCOPE": "Internal",
        }
        yield {
            "ID": f"new-{repeat}-{i}",
            "STARTED": "2025-01-01T00:00:00+00:00",
            "DIRECTION": "Inbound",
            "SCOPE": "External",
        }


@contextmanager
def _warehouse(size: int) -> Iterator[tuple[GateWarehouse, RawStream, TimedSession]]:
    gate = GateWarehouse()
    calls = gate.stream("GONG", calls_stream())
    _promoted_history(gate, calls, size)
    gate.session = session = TimedSession(gate.connection)
    try:
        yield gate, calls, session
    finally:
        gate.close()


def measure(size: int, settings: GateSettings, deletes: int) -> dict[str, float]:
    """Best of REPEATS: seconds to check, to merge and for the whole gate run, for one batch."""
    best: dict[str, float] = {}
    with _warehouse(size) as (gate, calls, session):
        for repeat in range(REPEATS):
            calls.sync(*_batch(size, repeat))
            # CDC deletes of calls the batch does not touch (odd numbers; the batch changes c<multiple of 7>).
            gone = [f"c{(repeat * DELETES + i) * 14 + 1}" for i in range(deletes)]
            if gone:
                calls.cdc_delete(*gone)
            session.seconds.clear()
            start = time.perf_counter()
            assert gate.run(settings=settings) == {"CALLS": ["promoted"]}, gate.batches()[-1]
            total = time.perf_counter() - start
            batch = gate.batches()[-1]
            assert (batch["PROMOTED_ROWS"], batch["DELETED_ROWS"]) == (BATCH, deletes), batch
            times = {"checks": session.seconds["checks"], "merge": session.seconds["merge"], "gate": total}
            best = {phase: min(best.get(phase, float("inf")), seconds) for phase, seconds in times.items()}
        rows = gate.execute(f"SELECT COUNT(*) AS N FROM {calls.curated}")[0]["N"]
        assert rows == size + REPEATS * (BATCH // 2 - deletes)
    return best


def main() -> None:
    """Measures every variant at both sizes, then prints the table and the ratios."""
    results = {
        (variant, size): measure(size, settings, deletes)
        for variant, (settings, deletes) in VARIANTS.items()
        for size in SIZES
    }
    table = Table(title=f"Data-quality gate: one {BATCH:,}-row batch (best of {REPEATS}, one run)")
    for column in ("run", "curated rows", "checks s", "merge s", "whole gate run s", "gate vs plain"):
        table.add_column(column, justify="right")
    for (variant, size), seconds in results.items():
        plain = results[("plain", size)]["gate"]
        table.add_row(
            variant,
            f"{size:,}",
            *(f"{seconds[phase]:.3f}" for phase in ("checks", "merge", "gate")),
            f"{seconds['gate'] / plain:.2f}x",
        )
    small, large = (results[("plain", size)] for size in SIZES)
    table.add_row(
        "plain",
        f"ratio {SIZES[1] // SIZES[0]:,}x rows",
        *(f"{large[p] / small[p]:.2f}x" for p in ("checks", "merge", "gate")),
        "",
    )
    Console().print(table)


if __name__ == "__main__":
    main()
