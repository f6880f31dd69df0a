"""The whole Sophia AI data platform, composed from one component per concern."""

from typing import Any, TypeVar

import pulumi

from catalog.semantic import declared_facts
from components.access import AccessControl, AccessControlArgs
from components.context import PlatformComponent, PlatformContext
from components.database import DataPlatformDatabase, DataPlatformDatabaseArgs
from components.governance import Governance, GovernanceArgs
from components.ingestion import AirbyteIngestion, AirbyteIngestionArgs
from components.knowledge import KnowledgeLayer, KnowledgeLayerArgs
from components.owner import DatabaseOwner, DatabaseOwnerArgs
from components.pii_tagging import PiiTagging, PiiTaggingArgs, tagged_streams
from components.providers import SnowflakeProviders, SnowflakeProvidersArgs
from components.quality_gate import QualityGate, QualityGateArgs
from components.receiver import ReceiverTriggers, ReceiverTriggersArgs
from components.roles import FunctionalRoles, FunctionalRolesArgs
from components.row_access import guarded_streams
from components.security import Secured, declare_security
from components.semantic import SemanticLayer, SemanticLayerArgs
from components.users import ServiceUsers, ServiceUsersArgs
from components.warehouses import Warehouses, WarehousesArgs
from models.access_matrix import GATE_OPERATOR_ROLE
from models.credits import credit_ceiling
from models.enums import FunctionalRole, WarehousePurpose
from models.naming import Naming
from models.schema_layout import schema_layout
from stack.config import StackConfig
from stack.service_users import AIRBYTE_USER

Component = TypeVar("Component", bound=PlatformComponent)


class SophiaDataPlatform(pulumi.ComponentResource):
    """Warehouses, database, access, governance, service users, knowledge and Airbyte ingestion of one stack.

    Declared in the order a new account needs: roles and their privileges before the objects they create.
    This is the one place that turns the stack config into each component's args; what every component is
    handed (naming, providers, protection, warehouses, owner, schemas, tags) travels in one PlatformContext.
    """

    def __init__(self, name: str, config: StackConfig, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("sophia:platform:SophiaDataPlatform", name, None, opts)
        self._name, self._config = name, config
        self._layout = schema_layout(config.sources)
        context = self._declare_foundation()
        context = self._declare_access(context)
        self._declare_knowledge(context)
        self._declare_security(context)
        self.promotion_triggers: pulumi.Input[dict[str, str]] = (
            self._declare_ingestion(context) if config.airbyte is not None else {}
        )
        self.monthly_credit_ceiling = sum(
            credit_ceiling(warehouse, config.resource_monitors).ceiling
            for warehouse in config.warehouses.values()
        )
        self.register_outputs(
            {
                "database": self.database.database.name,
                "warehouses": {p.value: w.name for p, w in self.warehouses.by_purpose.items()},
                "monthly_credit_ceiling": self.monthly_credit_ceiling,
                "promotion_triggers": self.promotion_triggers,
            }
        )

    def _child(self) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self)

    def _add(self, component: type[Component], suffix: str, context: PlatformContext, args: Any) -> Component:
        """`component` as this platform's child `<name>-<suffix>`, handed the context and its own args."""
        return component(f"{self._name}-{suffix}", context, args, self._child())

    def _declare_foundation(self) -> PlatformContext:
        """Providers, warehouses, roles, the owner and the database: what every later component builds on."""
        config, name = self._config, self._name
        naming = Naming(prefix=config.name_prefix, database=config.database.name)
        account = config.snowflake_account
        self.providers = SnowflakeProviders(
            f"{name}-providers",
            SnowflakeProvidersArgs(account, config.snowflake_token, config.snowflake_private_key),
            opts=self._child(),
        )
        context = PlatformContext(naming, self.providers, config.protect_stateful)
        self.warehouses = self._add(
            Warehouses, "warehouses", context, WarehousesArgs(config.warehouses, config.resource_monitors)
        )
        warehouses = self.warehouses.by_purpose
        self.roles = FunctionalRoles(
            f"{name}-roles", FunctionalRolesArgs(naming, warehouses, self.providers), opts=self._child()
        )
        self.owner = DatabaseOwner(
            f"{name}-owner",
            DatabaseOwnerArgs(account.user, self.roles, warehouses, self.providers),
            opts=self._child(),
        )
        context = context.declared(warehouses=warehouses, owner=self.owner)
        database = DataPlatformDatabaseArgs(config.database, self._layout, config.security.logging)
        self.database = self._add(DataPlatformDatabase, "database", context, database)
        return context.declared(schemas=self.database.schemas)

    def _declare_access(self, context: PlatformContext) -> PlatformContext:
        """Access roles and their grants, the tags and masking policies, the service users."""
        config = self._config
        self.access = self._add(
            AccessControl, "access", context, AccessControlArgs(self._layout, self.database, self.roles)
        )
        allowed = [context.naming.functional_role(role) for role in config.pii_allowed_roles]
        self.governance = self._add(Governance, "governance", context, GovernanceArgs(self._layout, allowed))
        users = ServiceUsersArgs(
            users=config.service_users,
            public_keys=config.service_public_keys,
            second_public_keys=config.security.credentials.second_public_keys,
            functional_roles=self.roles.by_role,
        )
        self.service_users = self._add(ServiceUsers, "users", context, users)
        return context.declared(tags=self.governance.tags)

    def _declare_knowledge(self, context: PlatformContext) -> None:
        """The knowledge layer, the quality gate when configured, and the semantic layer after both."""
        config = self._config
        mappings = config.entity_mapping_specs  # checked anew on each read: read once
        facts = tuple(declared_facts(mappings))
        knowledge = KnowledgeLayerArgs(config.catalog, config.embedding, facts)
        self.knowledge = self._add(KnowledgeLayer, "knowledge", context, knowledge)
        gate = config.quality_gate
        if gate is not None:
            self.quality = self._declare_gate(context)
        semantic = SemanticLayerArgs(
            config=config.semantic,
            embedding_schedule=config.embedding.schedule,
            catalog=config.catalog,
            mappings=mappings,
            knowledge_tables=self.knowledge.tables,
            # Entity mappings need Airbyte sources, and with Airbyte the stack config demands the gate.
            gate_tasks=self.quality.tasks if gate else {},
            gate_warehouse=gate.warehouse.warehouse if gate else None,
            gate_privileges=[self.quality.account_privileges] if gate else [],
            app_role=self.roles.by_role[FunctionalRole.APP],
        )
        self.semantic = self._add(SemanticLayer, "semantic", context, semantic)

    def _declare_gate(self, context: PlatformContext) -> QualityGate:
        """The quality gate over every source's promoted streams, each with its row access policy."""
        config, naming = self._config, context.naming
        assert config.quality_gate is not None
        sources = config.airbyte.sources if config.airbyte else {}
        restrictions = config.security.row_access
        gate = QualityGateArgs(
            config=config.quality_gate,
            webhook=config.alert_webhook,
            streams={
                source: guarded_streams(naming, restrictions, source, spec.promoted_streams(source))
                for source, spec in sources.items()
            },
            owner_access=self.access.grants_to[FunctionalRole.ADMIN],
            knowledge_views=self.knowledge.views,
        )
        return self._add(QualityGate, "quality", context, gate)

    def _declare_security(self, context: PlatformContext) -> None:
        """Row access, the audit trail and service credentials, after what they build on."""
        secured = Secured(
            database=self.database.database,
            knowledge_tables=self.knowledge.tables,
            users=self.service_users.users,
            role_grants=self.service_users.role_grants,
            governance_viewer=self.semantic.governance_viewer,
            gate=self.quality if self._config.quality_gate else None,
        )
        security = declare_security(self, self._name, context, self._config, secured)
        self.row_access, self.audit, self.credentials = (
            security.row_access,
            security.audit,
            security.credentials,
        )

    def _declare_ingestion(self, context: PlatformContext) -> pulumi.Input[dict[str, str]]:
        """Airbyte ingestion, the receiver's triggers and the PII tagging tasks; the triggers."""
        config = self._config
        assert config.airbyte is not None and config.quality_gate is not None  # the config demands the gate
        ingestion = AirbyteIngestionArgs(
            config=config.airbyte,
            account=config.snowflake_account,
            etl_role=self.roles.by_role[FunctionalRole.ETL].name,
            etl_warehouse=context.warehouses[WarehousePurpose.ETL].name,
            airbyte_user=self.service_users.users[AIRBYTE_USER],
            etl_grants=[
                *self.roles.usage[FunctionalRole.ETL].values(),
                *self.access.grants_to[FunctionalRole.ETL],
                self.service_users.role_grants[AIRBYTE_USER],
            ],
        )
        self.ingestion = self._add(AirbyteIngestion, "ingestion", context, ingestion)
        receiver = ReceiverTriggersArgs(
            role=self.roles.by_role[GATE_OPERATOR_ROLE],
            database=self.database.database,
            gate_tasks=self.quality.tasks,
            connections=self.ingestion.connections,
        )
        # "promotion" is the receiver's first word, kept in its resource name: every child's URN is named after it.
        self.receiver = self._add(ReceiverTriggers, "promotion", context, receiver)
        gate = config.quality_gate
        tagging = PiiTaggingArgs(
            streams=tagged_streams(config.airbyte),
            schedule=gate.schedule,
            warehouse=gate.warehouse.warehouse,
            waits=[
                self.quality.account_privileges,
                *context.tags.resources.values(),
                *self.access.grants_to[FunctionalRole.ADMIN],
            ],
        )
        self.pii_tagging = self._add(PiiTagging, "pii-tagging", context, tagging)
        return self.receiver.triggers
