"""The brute-force vector search on the emulator at 10,000 and 100,000 embedded entities, in one run.

Run: `.venv/bin/python -m bench.search_bench` (about a minute) on an otherwise idle machine. The timed query
is the shipped entity search (`sql/queries/entity_search.sql`) over the shipped ENTITY_SEARCH_INDEX view,
run through fakesnow with the tests' shims. The floor is the plainest way the engine ranks the same
vectors: DuckDB's own cosine over the one embeddings table, top 10, no view, no Cortex call. Both scan
every vector: the figure to read is how the time grows with the rows, not the emulator's milliseconds.
"""

import time
from collections.abc import Callable

from fakesnow.instance import FakeSnow
from rich.console import Console
from rich.table import Table

from catalog.embedding import EmbeddingModel
from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.views import entity_search_statement
from tests.sql import shims
from tests.sql.harness import SCHEMAS, KnowledgeWarehouse

SIZES = (10_000, 100_000)
REPEATS = 3
TOP_K = 10
MODEL = EmbeddingModel.E5_BASE_V2
TABLE = FOUNDATIONAL_CATALOG.table("EMPLOYEES")


def _fill(warehouse: KnowledgeWarehouse, rows: int) -> None:
    """`rows` employees with random 768-value vectors, written straight into DuckDB for speed."""
    duck, where = warehouse._duck, f"{warehouse.connection.database}.{SCHEMAS.knowledge}"
    warehouse.reset()
    duck.execute(
        f"INSERT INTO {where}.{TABLE.name} (EMPLOYEE_ID, FULL_NAME, BIO, CREATED_AT, UPDATED_AT) "
        f"SELECT 'E' || i, 'Person ' || i, 'Works on thing ' || (i % 97), now(), now() FROM range({rows}) t(i)"
    )
    duck.execute(
        f"INSERT INTO {where}.{TABLE.embeddings_table_name} (ENTITY_ID, TEXT_HASH, EMBEDDING, MODEL, EMBEDDED_AT) "
        f"SELECT 'E' || i, 'h', list_transform(range(768), x -> random())::DOUBLE[768], '{MODEL.value}', now() "
        f"FROM range({rows}) t(i)"
    )


def _best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(sizes: tuple[int, ...] = SIZES) -> list[tuple[int, float, float]]:
    """(rows, shipped search seconds, floor seconds) per size, best of REPEATS each."""
    instance = FakeSnow()
    warehouse = KnowledgeWarehouse(
        instance.connect(database="SOPHIA_BENCH", schema=SCHEMAS.knowledge), FOUNDATIONAL_CATALOG
    )
    search = shims.rewrite_cosine_similarity(entity_search_statement(SCHEMAS.semantic, MODEL))
    where = f"SOPHIA_BENCH.{SCHEMAS.knowledge}.{TABLE.embeddings_table_name}"
    query = warehouse._duck.execute(
        "SELECT list_transform(range(768), x -> random())::DOUBLE[768]"
    ).fetchone()[0]
    floor = (
        f"SELECT ENTITY_ID, list_cosine_similarity(EMBEDDING, ?::DOUBLE[768]) AS SCORE FROM {where} "
        f"ORDER BY SCORE DESC LIMIT {TOP_K}"
    )
    results = []
    for rows in sizes:
        _fill(warehouse, rows)
        found = warehouse.query(search, {"query_text": "who works on thing 5", "top_k": TOP_K})
        assert len(found) == min(TOP_K, rows), "the shipped search must rank the filled rows"
        shipped = _best(
            lambda: warehouse.query(search, {"query_text": "who works on thing 5", "top_k": TOP_K})
        )
        plain = _best(lambda: warehouse._duck.execute(floor, [query]).fetchall())
        results.append((rows, shipped, plain))
    instance.duck_conn.close()
    return results


def main() -> None:
    """Prints one row per size: the shipped search, the floor, their ratio, and the growth from the first size."""
    results = measure()
    table = Table(title=f"Brute-force entity search, top {TOP_K}, best of {REPEATS}")
    for column in ("embedded rows", "search ms", "floor ms", "search/floor", "search growth"):
        table.add_column(column, justify="right")
    first = results[0][1]
    for rows, shipped, plain in results:
        table.add_row(
            f"{rows:,}",
            f"{shipped * 1000:.0f}",
            f"{plain * 1000:.0f}",
            f"{shipped / plain:.2f}x",
            f"{shipped / first:.1f}x",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
