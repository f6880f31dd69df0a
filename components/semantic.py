"""From curated data to the assistant: entity maintenance tasks, tag discovery and the Cortex Search service."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.entity_mappings import EntityMappingSpec, task_name, task_statement
from catalog.semantic import (
    SEARCH_ATTRIBUTES,
    SEARCH_COLUMN,
    TAGGED_OBJECTS,
    discovery_metadata,
    search_source_statement,
    tagged_objects_statement,
)
from catalog.tables import FoundationalCatalog
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from components.snowflake_database_roles import grant_snowflake_database_role
from components.tagging import TaggedObject, tag_objects
from models.access_matrix import SEARCH_SERVICE, SnowflakeDatabaseRole
from models.enums import WarehousePurpose
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA, SEMANTIC_SCHEMA, Naming
from stack.semantic import SearchKind, SemanticConfig

# Serverless tasks start at this size and Snowflake resizes them from their history (CREATE TASK).
SERVERLESS_INITIAL_SIZE = "XSMALL"


@dataclass(frozen=True)
class SemanticLayerArgs:
    """The declarations, where the objects go, the gate tasks to chain after, and who owns and may read."""

    config: SemanticConfig
    embedding_schedule: str
    catalog: FoundationalCatalog
    mappings: Sequence[EntityMappingSpec]
    knowledge_tables: Mapping[str, snowflake.Table]
    # By upper-case source: the gate's task, each `Naming.quality_gate_task(source)` in OPS_SCHEMA.
    gate_tasks: Mapping[str, pulumi.Resource]
    # The gate tasks' warehouse; None when they run serverless (the chained tasks run as they do).
    gate_warehouse: WarehousePurpose | None
    # What the gate's tasks wait for beyond the owner's EXECUTE TASK (EXECUTE MANAGED TASK when serverless).
    gate_privileges: Sequence[pulumi.Resource]
    app_role: snowflake.AccountRole


class SemanticLayer(PlatformComponent):
    """A MERGE task per entity mapping after its source's gate; the tag-discovery view; the search service.

    The tasks join the gate's task graph, so they run only when the gate ran, in its schema (a task graph
    lives in one schema), and create the stream on the curated table themselves: that table appears at the
    gate's first promotion, after deploy, so nothing declared here could reference it.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: SemanticLayerArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._args, self._naming = args, context.naming
        self.tasks = {task_name(spec): self._create_task(spec) for spec in args.mappings}
        # The discovery view reads TAG_REFERENCES (SNOWFLAKE database roles docs); the audit trail reuses it.
        self.governance_viewer = viewer = grant_snowflake_database_role(
            self,
            f"{name}-governance-viewer",
            SnowflakeDatabaseRole.GOVERNANCE_VIEWER,
            context.owner.role,
            context.providers,
        )
        self.discovery = snowflake.View(
            f"{name}-view-{TAGGED_OBJECTS.lower()}",
            database=self._naming.database,
            schema=SEMANTIC_SCHEMA,
            name=TAGGED_OBJECTS,
            statement=tagged_objects_statement(self._naming.database),
            copy_grants=True,
            comment="Every object the stack tagged, with its SOPHIA_AI_METADATA parsed",
            opts=self.options(context.schemas[SEMANTIC_SCHEMA], viewer),
        )
        tag_objects(
            self,
            name,
            context.tags,
            "VIEW",
            [
                TaggedObject(
                    self._naming.in_database(SEMANTIC_SCHEMA, TAGGED_OBJECTS),
                    discovery_metadata(),
                    (self.discovery,),
                )
            ],
        )
        self.search_service = (
            self._create_search_service() if args.config.search is SearchKind.CORTEX else None
        )
        self.register_outputs(
            {
                "entity_tasks": sorted(self.tasks),
                "search": args.config.search.value,
                "monthly_search_serving_credits": args.config.monthly_serving_credits,
            }
        )

    def _create_task(self, spec: EntityMappingSpec) -> snowflake.Task:
        """After the source's gate task; serverless or on the gate's warehouse, as the gate runs."""
        args = self._args
        purpose = args.gate_warehouse
        compute: dict[str, object] = (
            {"user_task_managed_initial_warehouse_size": SERVERLESS_INITIAL_SIZE}
            if purpose is None
            else {"warehouse": self.context.warehouses[purpose].name}
        )
        waits = [
            args.gate_tasks[spec.source],
            args.knowledge_tables[spec.entity],
            self.context.owner.account_privileges,
            *args.gate_privileges,
        ]
        if purpose is not None:
            waits += [self.context.warehouses[purpose], self.context.owner.warehouse_usage[purpose]]
        return snowflake.Task(
            f"{self._base}-{task_name(spec).lower().replace('_', '-')}",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=task_name(spec),
            # Names in `afters` are unqualified: the provider forbids `.` in them (task.py, `afters`).
            afters=[Naming.quality_gate_task(spec.source)],
            sql_statement=task_statement(spec, args.catalog, self._naming),
            started=True,
            comment=f"MERGEs what the gate promoted to {spec.source}.{spec.stream} into {spec.entity}",
            **compute,
            opts=self.options(*waits),
        )

    def _create_search_service(self) -> snowflake.CortexSearchService:
        """Indexes every entity's text; only the application role may query it (USAGE, below)."""
        args = self._args
        warehouse = self.context.warehouses[args.config.warehouse]
        service = snowflake.CortexSearchService(
            f"{self._base}-search-service",
            database=self._naming.database,
            schema=SEMANTIC_SCHEMA,
            name=SEARCH_SERVICE,
            on=SEARCH_COLUMN,
            attributes=list(SEARCH_ATTRIBUTES),
            warehouse=warehouse.name,
            target_lag=args.config.lag_for(args.embedding_schedule),
            query=search_source_statement(args.catalog, self._naming.in_database_unquoted(KNOWLEDGE_SCHEMA)),
            comment="Semantic search over every knowledge entity, filterable by ENTITY_TYPE",
            opts=self.options(
                warehouse,
                self.context.owner.warehouse_usage[args.config.warehouse],
                self.context.schemas[SEMANTIC_SCHEMA],
                *args.knowledge_tables.values(),
            ),
        )
        snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-search-service-usage",
            account_role_name=args.app_role.name,
            privileges=["USAGE"],
            on_schema_object={
                "object_type": "CORTEX SEARCH SERVICE",
                "object_name": self._naming.in_database(SEMANTIC_SCHEMA, SEARCH_SERVICE),
            },
            # Managed access: SECURITYADMIN's MANAGE GRANTS grants on what the owner holds.
            opts=self.options(service, args.app_role, acting_as=SystemRole.SECURITYADMIN),
        )
        return service
