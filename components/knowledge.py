"""The foundational knowledge layer: catalog tables, their embeddings, streams, embedding tasks and views."""

from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.embedding import embed_task_condition, embed_task_statement
from catalog.semantic import FactSpec, view_metadata
from catalog.tables import EntityTableSpec, FoundationalCatalog, KnowledgeTableSpec
from catalog.views import CatalogSchemas, catalog_views
from components.context import PlatformComponent, PlatformContext
from components.snowflake_database_roles import grant_snowflake_database_role
from components.tagging import TaggedObject, tag_objects
from models.access_matrix import SnowflakeDatabaseRole
from models.naming import KNOWLEDGE_SCHEMA
from models.tag_metadata import PiiLevel
from stack.config import EmbeddingSettings


@dataclass(frozen=True)
class KnowledgeLayerArgs:
    """The catalog and the embedding settings (their warehouse among the stack's)."""

    catalog: FoundationalCatalog
    embedding: EmbeddingSettings
    # Relationship types the entity mappings declare: the `_360` views count them per entity.
    facts: tuple[FactSpec, ...] = ()


class KnowledgeLayer(PlatformComponent):
    """Tables from the one catalog; a stream on each; a task that embeds only new or changed text; views.

    Vectors live in a separate `<TABLE>_EMBEDDINGS` table, so the task writing them never puts rows in
    the stream it reads: the job cannot re-trigger itself. Everything here is created by the owner role,
    so it owns it, and tagged here; tasks wait for its EXECUTE TASK, USAGE of their warehouse and
    SNOWFLAKE.CORTEX_USER, and run in every stack: a stream nothing consumes goes stale.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: KnowledgeLayerArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._naming = context.naming
        owner, embedding = context.owner, args.embedding
        knowledge = context.schemas[KNOWLEDGE_SCHEMA]
        self.tables: dict[str, snowflake.Table] = {}
        self.tasks: dict[str, snowflake.Task] = {}
        tagged_tables: list[TaggedObject] = []
        tagged_columns: list[TaggedObject] = []
        # The tasks run as their owner and call SNOWFLAKE.CORTEX.EMBED_TEXT_768: the owner holds CORTEX_USER.
        self.cortex_user = grant_snowflake_database_role(
            self, f"{name}-cortex-user", SnowflakeDatabaseRole.CORTEX_USER, owner.role, context.providers
        )
        task_privileges = [
            owner.account_privileges,
            owner.warehouse_usage[embedding.warehouse],
            self.cortex_user,
        ]
        for spec in args.catalog.tables:
            for table_spec in (spec, spec.embeddings_table()):
                table = self._create_table(table_spec, knowledge)
                tagged_tables.append(
                    TaggedObject(self._qualified(table_spec.name), table_spec.metadata(), (table,))
                )
                tagged_columns.extend(self._key_columns(table_spec, table))
            stream = self._create_stream(spec, self.tables[spec.name])
            self.tasks[spec.name] = self._create_task(
                spec,
                embedding,
                context.warehouses[embedding.warehouse],
                [stream, self.tables[spec.embeddings_table_name], *task_privileges],
            )
        tag_objects(self, name, context.tags, "TABLE", tagged_tables)
        tag_objects(self, name, context.tags, "COLUMN", tagged_columns)
        specs = catalog_views(args.catalog, CatalogSchemas(), embedding.model, args.facts)
        self.views = [
            self._create_view(view.schema, view.name, view.statement, context.schemas[view.schema])
            for view in specs
        ]
        tag_objects(
            self,
            name,
            context.tags,
            "VIEW",
            [
                TaggedObject(
                    self._naming.in_database(spec.schema, spec.name),
                    view_metadata(args.catalog, spec.name),
                    (view,),
                )
                for spec, view in zip(specs, self.views, strict=True)
            ],
        )
        self.register_outputs({"tables": sorted(self.tables), "tasks": sorted(self.tasks)})

    def _qualified(self, *names: str) -> str:
        return self._naming.in_database(KNOWLEDGE_SCHEMA, *names)

    def _create_table(self, spec: KnowledgeTableSpec, knowledge: snowflake.Schema) -> snowflake.Table:
        suffix = spec.name.lower()
        table = snowflake.Table(
            f"{self._base}-{suffix}",
            database=self._naming.database,
            schema=KNOWLEDGE_SCHEMA,
            name=spec.name,
            comment=spec.comment,
            change_tracking=True,
            columns=spec.column_args(),
            opts=self.options(knowledge, stateful=True),
        )
        snowflake.TableConstraint(
            f"{self._base}-{suffix}-primary-key",
            name=self._naming.primary_key(spec.name),
            type="PRIMARY KEY",
            table_id=self._qualified(spec.name),
            columns=spec.primary_key,
            opts=self.options(table),
        )
        self.tables[spec.name] = table
        return table

    def _key_columns(self, spec: KnowledgeTableSpec, table: snowflake.Table) -> list[TaggedObject]:
        """Key columns (stable id, PII, vectors) carry their own metadata; PII columns also PII_LEVEL."""
        tagged = []
        for column in spec.columns:
            metadata = spec.column_metadata(column.name)
            is_pii = column.pii_level is not PiiLevel.NONE
            if column.is_primary_identifier or metadata.vector_index or is_pii:
                tagged.append(
                    TaggedObject(
                        self._qualified(spec.name, column.name),
                        metadata,
                        (table,),
                        pii_level=column.pii_level if is_pii else None,
                    )
                )
        return tagged

    def _create_stream(self, spec: EntityTableSpec, table: snowflake.Table) -> snowflake.StreamOnTable:
        return snowflake.StreamOnTable(
            f"{self._base}-{spec.name.lower()}-stream",
            database=self._naming.database,
            schema=KNOWLEDGE_SCHEMA,
            name=spec.stream_name,
            table=self._qualified(spec.name),
            append_only="false",
            # Rows that exist before the stream must be embedded too.
            show_initial_rows="true",
            comment=f"Inserts, updates and deletes on {spec.name}, read by {spec.task_name}",
            opts=self.options(table, stateful=True),
        )

    def _create_task(
        self,
        spec: EntityTableSpec,
        embedding: EmbeddingSettings,
        warehouse: snowflake.Warehouse,
        depends_on: list[pulumi.Resource],
    ) -> snowflake.Task:
        # Started in every stack: an unconsumed stream goes stale once its offset falls outside the table's
        # retention, and the provider then recreates it with CREATE OR REPLACE on every `up`
        # (terraform-provider-snowflake pkg/resources/stream_common.go, RecreateWhenStreamIsStale). Each
        # stack's schedule is budgeted in its config (Pulumi.dev.yaml: four runs a day, one ML resume each).
        return snowflake.Task(
            f"{self._base}-{spec.name.lower()}-embed-task",
            database=self._naming.database,
            schema=KNOWLEDGE_SCHEMA,
            name=spec.task_name,
            warehouse=warehouse.name,
            schedule=embedding.schedule_args(),
            when=embed_task_condition(spec, KNOWLEDGE_SCHEMA),
            sql_statement=embed_task_statement(spec, KNOWLEDGE_SCHEMA, embedding.model),
            started=True,
            allow_overlapping_execution="false",
            comment=f"Embeds new or changed {spec.name} text with {embedding.model.value}",
            opts=self.options(warehouse, *depends_on),
        )

    def _create_view(
        self, schema: str, name: str, statement: str, parent_schema: snowflake.Schema
    ) -> snowflake.View:
        return snowflake.View(
            f"{self._base}-view-{name.lower()}",
            database=self._naming.database,
            schema=schema,
            name=name,
            statement=statement,
            copy_grants=True,
            comment=f"Sophia AI {name.replace('_', ' ').lower()}",
            opts=self.options(parent_schema, *self.tables.values()),
        )
