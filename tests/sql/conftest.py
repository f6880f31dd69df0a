"""Fixtures for SQL tests: one fakesnow database built from the catalog, emptied before each test."""

from collections.abc import Iterator

import pytest
from fakesnow.instance import FakeSnow

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from tests.sql.harness import SCHEMAS, KnowledgeWarehouse


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
