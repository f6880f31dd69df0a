"""A fakesnow database built from the catalog, where the SQL from `sql/` runs for real."""

from datetime import UTC, datetime
from typing import Any

from snowflake.connector import DictCursor

from catalog.embedding import EmbeddingModel, embed_task_statement
from catalog.table_spec import TableSpec
from catalog.tables import CREATED_AT, UPDATED_AT, FoundationalCatalog
from catalog.views import CatalogSchemas, catalog_views
from tests.sql import shims
from tests.sql.streams import EmulatedStream

SCHEMAS = CatalogSchemas()
MODEL = EmbeddingModel.E5_BASE_V2
SEEDED_AT = "2024-01-01 00:00:00"


class KnowledgeWarehouse:
    """The catalog's tables, embeddings tables, emulated streams and views, plus helpers to change data."""

    def __init__(self, connection: Any, catalog: FoundationalCatalog) -> None:
        self.connection = connection
        self.catalog = catalog
        self._duck = connection._duck_conn  # fakesnow's DuckDB connection, where the shims are registered
        shims.install(self._duck)
        for schema in (SCHEMAS.semantic, SCHEMAS.ops):
            self.execute(f"CREATE SCHEMA {schema}")
        self.execute(f"USE SCHEMA {SCHEMAS.knowledge}")  # CREATE SCHEMA switched to the new one
        for table in catalog.tables:
            self.create_table(table)
            self.create_table(table.embeddings_table())
        self.streams = {
            table.name: EmulatedStream(connection.cursor(), table, SCHEMAS.knowledge)
            for table in catalog.tables
        }
        for view in catalog_views(catalog, SCHEMAS, MODEL):
            self.execute(f"CREATE VIEW {view.schema}.{view.name} AS {view.statement}")

    def reset(self) -> None:
        """Empties every table and stream, straight through DuckDB: much faster than building anew."""
        for table in self.catalog.tables:
            for name in (table.name, table.embeddings_table_name):
                self._duck.execute(f"DELETE FROM {self.connection.database}.{SCHEMAS.knowledge}.{name}")
            self.streams[table.name].consume()

    def create_table(self, spec: TableSpec) -> None:
        """Runs the catalog's DDL, with the VECTOR column shim."""
        statement, alters = shims.create_table_statements(spec, SCHEMAS.knowledge, self.connection.database)
        self.execute(statement)
        for alter in alters:
            self._duck.execute(alter)

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """One statement through fakesnow."""
        self.connection.cursor().execute(sql, params)

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts keyed by upper-case column name."""
        cursor = self.connection.cursor(DictCursor)
        cursor.execute(sql, params)
        return cursor.fetchall()

    def embed_calls(self) -> int:
        """Cortex EMBED_TEXT_768 calls made so far."""
        return shims.embed_calls(self._duck)

    def run_task_body(self, table_name: str, model: EmbeddingModel = MODEL) -> int:
        """Runs the real task statement against the stream as it is; returns the Cortex calls it made."""
        before = self.embed_calls()
        self.execute(embed_task_statement(self.catalog.table(table_name), SCHEMAS.knowledge, model))
        return self.embed_calls() - before

    def scheduled_run(self, table_name: str, model: EmbeddingModel = MODEL) -> int:
        """One scheduled run: skipped when the stream is empty (the task's WHEN), else MERGE and consume."""
        stream = self.streams[table_name]
        if not stream.capture():
            return 0
        calls = self.run_task_body(table_name, model)
        stream.consume()
        return calls

    def insert(self, table_name: str, *rows: dict[str, Any]) -> None:
        """Inserts rows; timestamps default to a fixed seed time."""
        for row in rows:
            values = {CREATED_AT: SEEDED_AT, UPDATED_AT: SEEDED_AT, **row}
            names = ", ".join(values)
            placeholders = ", ".join(f"%({name})s" for name in values)
            self.execute(
                f"INSERT INTO {SCHEMAS.knowledge}.{table_name} ({names}) VALUES ({placeholders})", values
            )

    def update(self, table_name: str, entity_id: str, **changes: Any) -> None:
        """Updates one row and stamps UPDATED_AT with now, as a well-behaved writer would."""
        values = {UPDATED_AT: datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"), **changes}
        assignments = ", ".join(f"{name} = %({name})s" for name in values)
        id_column = self.catalog.table(table_name).id_column
        self.execute(
            f"UPDATE {SCHEMAS.knowledge}.{table_name} SET {assignments} WHERE {id_column} = %(entity_id)s",
            {**values, "entity_id": entity_id},
        )

    def delete(self, table_name: str, entity_id: str) -> None:
        """Deletes one row by its stable id."""
        id_column = self.catalog.table(table_name).id_column
        self.execute(
            f"DELETE FROM {SCHEMAS.knowledge}.{table_name} WHERE {id_column} = %(entity_id)s",
            {"entity_id": entity_id},
        )

    def embeddings(self, table_name: str) -> dict[str, dict[str, Any]]:
        """The embeddings table, keyed by entity id."""
        name = self.catalog.table(table_name).embeddings_table_name
        return {row["ENTITY_ID"]: row for row in self.query(f"SELECT * FROM {SCHEMAS.knowledge}.{name}")}
