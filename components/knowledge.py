"""The foundational knowledge layer: catalog tables, their embeddings, streams, embedding tasks and views."""

import pulumi
import pulumi_snowflake as snowflake

from catalog.embedding import embed_task_condition, embed_task_statement
from catalog.tables import EntityTableSpec, FoundationalCatalog, TableSpec
from catalog.views import CatalogSchemas, catalog_views
from components.access import AccessControl
from components.governance import Governance
from components.providers import SnowflakeProviders, SystemRole
from models.naming import Naming
from models.tag_metadata import PiiLevel
from stack.config import EmbeddingSettings

KNOWLEDGE_SCHEMA = "FOUNDATIONAL_KNOWLEDGE"
SEMANTIC_SCHEMA = "SOPHIA_SEMANTIC"
OPS_SCHEMA = "SOPHIA_OPS"


class KnowledgeLayer(pulumi.ComponentResource):
    """Tables from the one catalog; a stream on each; a task that embeds only new or changed text; views.

    Vectors live in a separate `<TABLE>_EMBEDDINGS` table, so the task writing them never puts rows in
    the stream it reads: the job cannot re-trigger itself.
    """

    def __init__(
        self,
        name: str,
        catalog: FoundationalCatalog,
        embedding: EmbeddingSettings,
        naming: Naming,
        schemas: dict[str, snowflake.Schema],
        warehouse: snowflake.Warehouse,
        governance: Governance,
        access: AccessControl,
        protect: bool,
        start_tasks: bool,
        providers: SnowflakeProviders,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("sophia:knowledge:KnowledgeLayer", name, None, opts)
        self._base = name
        self._naming = naming
        self._governance = governance
        self._access = access
        self._protect_stateful = protect
        self._sysadmin = providers.for_role(SystemRole.SYSADMIN)
        knowledge = schemas[KNOWLEDGE_SCHEMA]
        self.tables: dict[str, snowflake.Table] = {}
        self.tasks: dict[str, snowflake.Task] = {}
        for spec in catalog.tables:
            table = self._create_table(spec, knowledge)
            embeddings = self._create_table(spec.embeddings_table(), knowledge)
            stream = self._create_stream(spec, table)
            self.tasks[spec.name] = self._create_task(
                spec, embedding, warehouse, start_tasks, [stream, embeddings]
            )
        self.views = [
            self._create_view(view.schema, view.name, view.statement, schemas[view.schema])
            for view in catalog_views(
                catalog,
                CatalogSchemas(knowledge=KNOWLEDGE_SCHEMA, semantic=SEMANTIC_SCHEMA, ops=OPS_SCHEMA),
                embedding.model,
            )
        ]
        self.register_outputs({"tables": sorted(self.tables), "tasks": sorted(self.tasks)})

    def _options(self, *depends_on: pulumi.Resource, protect: bool = False) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=self, provider=self._sysadmin, depends_on=list(depends_on), protect=protect
        )

    def _qualified(self, name: str, schema: str = KNOWLEDGE_SCHEMA) -> str:
        return self._naming.in_database(schema, name)

    def _create_table(self, spec: TableSpec, knowledge: snowflake.Schema) -> snowflake.Table:
        suffix = spec.name.lower()
        table = snowflake.Table(
            f"{self._base}-{suffix}",
            database=self._naming.database,
            schema=KNOWLEDGE_SCHEMA,
            name=spec.name,
            comment=spec.comment,
            change_tracking=True,
            columns=[
                {"name": c.name, "type": c.type.value, "nullable": c.nullable, "comment": c.comment}
                for c in spec.columns
            ],
            opts=self._options(knowledge, protect=self._protect_stateful),
        )
        snowflake.TableConstraint(
            f"{self._base}-{suffix}-primary-key",
            name=self._naming.primary_key(spec.name),
            type="PRIMARY KEY",
            table_id=self._qualified(spec.name),
            columns=spec.primary_key,
            opts=self._options(table),
        )
        self._tag(spec, table)
        self._access.transfer_ownership(f"table-{suffix}", "TABLE", self._qualified(spec.name), table)
        self.tables[spec.name] = table
        return table

    def _tag(self, spec: TableSpec, table: snowflake.Table) -> None:
        """The table's metadata, and on key columns (stable id, PII, vectors) their own, plus PII_LEVEL."""
        self._governance.tag_object(
            f"table-{spec.name.lower()}", "TABLE", self._qualified(spec.name), spec.metadata(), [table]
        )
        for column in spec.columns:
            metadata = spec.column_metadata(column.name)
            is_key = (
                column.is_primary_identifier or metadata.vector_index or column.pii_level is not PiiLevel.NONE
            )
            if is_key:
                self._governance.tag_object(
                    f"column-{spec.name.lower()}-{column.name.lower()}",
                    "COLUMN",
                    self._naming.in_database(KNOWLEDGE_SCHEMA, spec.name, column.name),
                    metadata,
                    [table],
                    pii_level=column.pii_level if column.pii_level is not PiiLevel.NONE else None,
                )

    def _create_stream(self, spec: EntityTableSpec, table: snowflake.Table) -> snowflake.StreamOnTable:
        stream = snowflake.StreamOnTable(
            f"{self._base}-{spec.name.lower()}-stream",
            database=self._naming.database,
            schema=KNOWLEDGE_SCHEMA,
            name=spec.stream_name,
            table=self._qualified(spec.name),
            append_only="false",
            # Rows that exist before the stream must be embedded too.
            show_initial_rows="true",
            comment=f"Inserts, updates and deletes on {spec.name}, read by {spec.task_name}",
            opts=self._options(table, protect=self._protect_stateful),
        )
        self._access.transfer_ownership(
            f"stream-{spec.name.lower()}", "STREAM", self._qualified(spec.stream_name), stream
        )
        return stream

    def _create_task(
        self,
        spec: EntityTableSpec,
        embedding: EmbeddingSettings,
        warehouse: snowflake.Warehouse,
        started: bool,
        depends_on: list[pulumi.Resource],
    ) -> snowflake.Task:
        task = snowflake.Task(
            f"{self._base}-{spec.name.lower()}-embed-task",
            database=self._naming.database,
            schema=KNOWLEDGE_SCHEMA,
            name=spec.task_name,
            warehouse=warehouse.name,
            schedule=embedding.schedule_args(),
            when=embed_task_condition(spec, KNOWLEDGE_SCHEMA),
            sql_statement=embed_task_statement(spec, KNOWLEDGE_SCHEMA, embedding.model),
            started=started,
            allow_overlapping_execution="false",
            comment=f"Embeds new or changed {spec.name} text with {embedding.model.value}",
            opts=self._options(warehouse, *depends_on),
        )
        self._access.transfer_ownership(
            f"task-{spec.name.lower()}", "TASK", self._qualified(spec.task_name), task
        )
        return task

    def _create_view(
        self, schema: str, name: str, statement: str, parent_schema: snowflake.Schema
    ) -> snowflake.View:
        view = snowflake.View(
            f"{self._base}-view-{name.lower()}",
            database=self._naming.database,
            schema=schema,
            name=name,
            statement=statement,
            copy_grants=True,
            comment=f"Sophia AI {name.replace('_', ' ').lower()}",
            opts=self._options(parent_schema, *self.tables.values()),
        )
        self._access.transfer_ownership(f"view-{name.lower()}", "VIEW", self._qualified(name, schema), view)
        return view
