"""Fixtures for SQL tests: the catalog's database and the gate's objects on fakesnow, emptied before each test."""

from collections.abc import Iterator

import pytest
from fakesnow.instance import FakeSnow

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from tests.sql.harness import SCHEMAS, KnowledgeWarehouse
from tests.sql.quality_gate_harness import GateWarehouse, RawStream, calls_stream
from tests.sql.translation_memo import memoize_translation


@pytest.fixture(scope="session", autouse=True)
def translated_once() -> None:
    """fakesnow translates each distinct query or DML once per session; `translation_memo` says why that is safe."""
    memoize_translation()


@pytest.fixture(scope="session")
def shared_warehouse() -> Iterator[KnowledgeWarehouse]:
    """Built once per session; tests that change data use `knowledge`, which empties it first."""
    # FakeSnow directly rather than fakesnow.patch(): a session-long patch of snowflake.connector would
    # stop any other test from patching it, and building the database once keeps the suite fast.
    instance = FakeSnow()
    connection = instance.connect(database="SOPHIA_TEST", schema=SCHEMAS.knowledge)
    yield KnowledgeWarehouse(connection, FOUNDATIONAL_CATALOG)
    instance.duck_conn.close()


@pytest.fixture
def knowledge(shared_warehouse: KnowledgeWarehouse) -> KnowledgeWarehouse:
    """Every knowledge table, embeddings table, stream and view, empty."""
    shared_warehouse.reset()
    return shared_warehouse


@pytest.fixture(scope="module")
def shared_gate() -> Iterator[GateWarehouse]:
    """The data-quality gate's objects on their own emulator, built once per test module."""
    warehouse = GateWarehouse()
    yield warehouse
    warehouse.close()


@pytest.fixture
def gate(shared_gate: GateWarehouse) -> GateWarehouse:
    """The gate's objects, empty: no RAW table, nothing promoted."""
    return shared_gate.reset()


@pytest.fixture
def calls(gate: GateWarehouse) -> RawStream:
    """Gong's `calls` stream, landed in RAW as Airbyte's first sync leaves it (no rows yet)."""
    stream = gate.stream("GONG", calls_stream())
    stream.land()
    return stream
