"""The gate's emulator plus the knowledge tables and views, and each entity mapping's task run as Snowflake would.

Curated data is made the way the gate's own tests make it: records synced into RAW as Airbyte writes them,
then the gate run promotes them. Each mapping's task reads a standard stream on the curated table, which the
task creates once the table exists with SHOW_INITIAL_ROWS (so its first read shows every row as an INSERT);
fakesnow has no streams, so the stream is emulated by `tests.sql.streams`.
"""

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from catalog.entity_mappings import EntityMappingSpec, maintenance_statement, stream_name
from catalog.semantic import declared_facts
from catalog.tables import EntityTableSpec
from catalog.views import CatalogSchemas, catalog_views
from models.naming import KNOWLEDGE_SCHEMA, SEMANTIC_SCHEMA, Naming
from offline.stack_files import load_stack_files
from stack.config import StackConfig
from stack.loader import load_stack_config
from tests.sql import shims
from tests.sql.harness import MODEL
from tests.sql.quality_gate_harness import DATABASE, OBJECTS, GateWarehouse
from tests.sql.streams import EmulatedStream

PROJECT_DIR = Path(__file__).resolve().parents[2]


def dev_config() -> StackConfig:
    """The shipped dev stack's config: its streams and entity mappings are what the tests run."""
    files = load_stack_files(PROJECT_DIR, "dev")
    return load_stack_config(files.project, files.values, files.secret_keys)


class CuratedStream(EmulatedStream):
    """A stream on a curated table, keyed by the stream's primary key; made with SHOW_INITIAL_ROWS = TRUE."""

    def __init__(self, cursor: Any, spec: EntityMappingSpec) -> None:
        curated = SimpleNamespace(id_column=spec.record_key, stream_name=stream_name(spec), name=spec.stream)
        super().__init__(cursor, curated, f"{DATABASE}.{Naming.curated_schema(spec.source)}")
        # SHOW_INITIAL_ROWS: the first read shows the rows the table held when the stream was made.
        cursor.execute(f"DELETE FROM {self._offset}")


class EntityWarehouse:
    """Gate, curated tables, knowledge tables with their views, and the mapping tasks between them."""

    def __init__(self, gate: GateWarehouse, config: StackConfig) -> None:
        self.gate, self.config, self.catalog = gate, config, config.catalog
        self.specs = config.entity_mapping_specs
        for schema in (KNOWLEDGE_SCHEMA, SEMANTIC_SCHEMA):
            gate.execute(f"CREATE SCHEMA IF NOT EXISTS {DATABASE}.{schema}")
        for table in self.catalog.tables:
            for spec in (table, table.embeddings_table()):
                statement, alters = shims.create_table_statements(spec, KNOWLEDGE_SCHEMA, DATABASE)
                gate.execute(statement)
                for alter in alters:
                    gate.duck.execute(alter)
        for view in catalog_views(self.catalog, CatalogSchemas(), MODEL, declared_facts(self.specs)):
            gate.execute(f"CREATE OR REPLACE VIEW {DATABASE}.{view.schema}.{view.name} AS {view.statement}")
        self.streams: dict[tuple[str, str, str], CuratedStream] = {}
        # The emulated streams bind %(name)s parameters; the gate's connection takes qmark ones.
        self._stream_connection = gate.instance.connect(database=DATABASE, schema=KNOWLEDGE_SCHEMA)
        self.entity_streams = {
            table.name: EmulatedStream(
                self._stream_connection.cursor(), table, f"{DATABASE}.{KNOWLEDGE_SCHEMA}"
            )
            for table in self.catalog.tables
        }

    def spec(self, entity: str, source: str) -> EntityMappingSpec:
        """The shipped mapping of a source into an entity."""
        return next(s for s in self.specs if s.entity == entity and s.source == source)

    def run_task(self, spec: EntityMappingSpec) -> int:
        """One run of the mapping's task after the gate: the stream's changes MERGEd; returns how many it showed."""
        if not self.gate.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [Naming.curated_schema(spec.source), spec.stream],
        ):
            return 0  # the block's IF: no curated table before the gate's first promotion
        stream = self.streams.get(spec.identity)
        if stream is None:
            stream = self.streams[spec.identity] = CuratedStream(self._stream_connection.cursor(), spec)
        changes = stream.capture()
        self.gate.execute(maintenance_statement(spec, self.catalog, OBJECTS.naming, stream=stream.name))
        stream.consume()
        return changes

    def promote(self, source: str) -> None:
        """The source's gate run, then every task chained after it, as the task graph runs them."""
        self.gate.run(source)
        for spec in self.specs:
            if spec.source == source:
                self.run_task(spec)

    def rows(self, table: str, order_by: str) -> list[dict[str, Any]]:
        """A knowledge table or semantic view, ordered."""
        schema = SEMANTIC_SCHEMA if table.endswith("_360") else KNOWLEDGE_SCHEMA
        return self.gate.execute(f"SELECT * FROM {DATABASE}.{schema}.{table} ORDER BY {order_by}")

    def entity_changes(self, table: EntityTableSpec) -> int:
        """What the entity's own stream (the one its embedding task reads) shows now; then consumed."""
        stream = self.entity_streams[table.name]
        count = stream.capture()
        stream.consume()
        return count
