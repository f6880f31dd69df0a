"""The whole Sophia AI data platform, composed from one component per concern."""

import pulumi

from catalog.semantic import declared_facts
from components.access import AccessControl, AccessControlArgs
from components.database import DataPlatformDatabase, DataPlatformDatabaseArgs
from components.governance import Governance, GovernanceArgs
from components.ingestion import AirbyteIngestion, AirbyteIngestionArgs
from components.knowledge import KnowledgeLayer, KnowledgeLayerArgs
from components.owner import DatabaseOwner, DatabaseOwnerArgs
from components.pii_tagging import PiiTagging, PiiTaggingArgs, tagged_streams
from components.providers import SnowflakeProviders, SnowflakeProvidersArgs, SystemRole
from components.quality_gate import QualityGate, QualityGateArgs
from components.receiver import ReceiverTriggers as PromotionTriggers
from components.receiver import ReceiverTriggersArgs as PromotionTriggersArgs
from components.roles import FunctionalRoles, FunctionalRolesArgs
from components.row_access import guarded_streams
from components.security import declare_security
from components.semantic import SemanticLayer, SemanticLayerArgs
from components.users import ServiceUsers, ServiceUsersArgs
from components.warehouses import Warehouses, WarehousesArgs
from models.access_matrix import GATE_OPERATOR_ROLE
from models.credits import credit_ceiling
from models.enums import FunctionalRole, WarehousePurpose
from models.naming import OPS_SCHEMA, Naming
from models.schema_layout import schema_layout
from stack.config import AIRBYTE_USER, StackConfig


class SophiaDataPlatform(pulumi.ComponentResource):
    """Warehouses, database, access, governance, service users, knowledge and Airbyte ingestion of one stack.

    Declared in the order a new account needs: roles and their privileges before the objects they create.
    This is the one place that turns the stack config into each component's args.
    """

    def __init__(self, name: str, config: StackConfig, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("sophia:platform:SophiaDataPlatform", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        naming = Naming(prefix=config.name_prefix, database=config.database.name)
        layout = schema_layout(config.sources)
        self.providers = SnowflakeProviders(
            f"{name}-providers",
            SnowflakeProvidersArgs(
                account=config.snowflake_account,
                token=config.snowflake_token,
                private_key=config.snowflake_private_key,
            ),
            opts=child,
        )
        providers = self.providers
        self.warehouses = Warehouses(
            f"{name}-warehouses",
            WarehousesArgs(
                warehouses=config.warehouses,
                monitors=config.resource_monitors,
                naming=naming,
                providers=providers,
            ),
            opts=child,
        )
        warehouses = self.warehouses.by_purpose
        self.roles = FunctionalRoles(
            f"{name}-roles",
            FunctionalRolesArgs(naming=naming, warehouses=warehouses, providers=providers),
            opts=child,
        )
        self.owner = DatabaseOwner(
            f"{name}-owner",
            DatabaseOwnerArgs(
                deploying_user=config.snowflake_account.user,
                roles=self.roles,
                warehouses=warehouses,
                providers=providers,
            ),
            opts=child,
        )
        self.database = DataPlatformDatabase(
            f"{name}-database",
            DataPlatformDatabaseArgs(
                config=config.database,
                layout=layout,
                protect=config.protect_stateful,
                owner=self.owner,
                providers=providers,
                logging=config.security.logging,
            ),
            opts=child,
        )
        self.access = AccessControl(
            f"{name}-access",
            AccessControlArgs(
                naming=naming,
                layout=layout,
                database=self.database,
                roles=self.roles,
                owner=self.owner,
                providers=providers,
            ),
            opts=child,
        )
        self.governance = Governance(
            f"{name}-governance",
            GovernanceArgs(
                naming=naming,
                layout=layout,
                schemas=self.database.schemas,
                warehouses=warehouses,
                pii_allowed_roles=[naming.functional_role(role) for role in config.pii_allowed_roles],
                owner=self.owner,
                providers=providers,
            ),
            opts=child,
        )
        self.service_users = ServiceUsers(
            f"{name}-users",
            ServiceUsersArgs(
                users=config.service_users,
                public_keys=config.service_public_keys,
                second_public_keys=config.security.credentials.second_public_keys,
                naming=naming,
                functional_roles=self.roles.by_role,
                warehouses=warehouses,
                providers=providers,
            ),
            opts=child,
        )
        self.knowledge = KnowledgeLayer(
            f"{name}-knowledge",
            KnowledgeLayerArgs(
                catalog=config.catalog,
                embedding=config.embedding,
                naming=naming,
                schemas=self.database.schemas,
                warehouse=warehouses[config.embedding.warehouse],
                tags=self.governance.tags,
                owner=self.owner,
                providers=providers,
                protect=config.protect_stateful,
                facts=tuple(declared_facts(config.entity_mapping_specs)),
            ),
            opts=child,
        )
        if config.quality_gate is not None:
            sources = config.airbyte.sources if config.airbyte else {}
            self.quality = QualityGate(
                f"{name}-quality",
                QualityGateArgs(
                    config=config.quality_gate,
                    webhook=config.alert_webhook,
                    naming=naming,
                    streams={
                        source: guarded_streams(
                            naming, config.security.row_access, source, spec.promoted_streams(source)
                        )
                        for source, spec in sources.items()
                    },
                    ops_schema=self.database.schemas[OPS_SCHEMA],
                    warehouses=self.warehouses.by_purpose,
                    owner_access=self.access.grants_to[FunctionalRole.ADMIN],
                    knowledge_views=self.knowledge.views,
                    owner=self.owner,
                    tags=self.governance.tags,
                    providers=self.providers,
                    protect=config.protect_stateful,
                ),
                opts=child,
            )
        gate = config.quality_gate
        self.semantic = SemanticLayer(
            f"{name}-semantic",
            SemanticLayerArgs(
                config=config.semantic,
                embedding_schedule=config.embedding.schedule,
                catalog=config.catalog,
                mappings=config.entity_mapping_specs,
                naming=naming,
                schemas=self.database.schemas,
                knowledge_tables=self.knowledge.tables,
                # Entity mappings need Airbyte sources, and with Airbyte the stack config demands the gate.
                gate_tasks=self.quality.tasks if gate else {},
                gate_warehouse=gate.warehouse.warehouse if gate else None,
                gate_privileges=[self.quality.account_privileges] if gate else [],
                warehouses=warehouses,
                app_role=self.roles.by_role[FunctionalRole.APP],
                owner=self.owner,
                tags=self.governance.tags,
                providers=providers,
            ),
            opts=child,
        )
        declare_security(self, name, config, naming)
        if config.airbyte is not None:
            self.ingestion = AirbyteIngestion(
                f"{name}-ingestion",
                AirbyteIngestionArgs(
                    config=config.airbyte,
                    account=config.snowflake_account,
                    naming=naming,
                    etl_role=self.roles.by_role[FunctionalRole.ETL].name,
                    etl_warehouse=warehouses[WarehousePurpose.ETL].name,
                    airbyte_user=self.service_users.users[AIRBYTE_USER],
                    raw_schemas=self.database.schemas,
                    etl_grants=[
                        *self.roles.usage[FunctionalRole.ETL].values(),
                        *self.access.grants_to[FunctionalRole.ETL],
                        self.service_users.role_grants[AIRBYTE_USER],
                    ],
                ),
                opts=child,
            )
            self.promotion = PromotionTriggers(
                f"{name}-promotion",
                PromotionTriggersArgs(
                    naming=naming,
                    role=self.roles.by_role[GATE_OPERATOR_ROLE],
                    database=self.database.database,
                    schemas=self.database.schemas,
                    # With Airbyte configured the stack config demands the gate (qualityGate).
                    gate_tasks=self.quality.tasks,
                    connections=self.ingestion.connections,
                    securityadmin=self.providers.for_role(SystemRole.SECURITYADMIN),
                ),
                opts=child,
            )
            self.promotion_triggers: pulumi.Input[dict[str, str]] = self.promotion.triggers
            self.pii_tagging = PiiTagging(
                f"{name}-pii-tagging",
                PiiTaggingArgs(
                    naming=naming,
                    streams=tagged_streams(config.airbyte),
                    schedule=gate.schedule,
                    warehouse=gate.warehouse.warehouse,
                    warehouses=self.warehouses.by_purpose,
                    waits=[
                        self.quality.account_privileges,
                        *self.governance.tags.resources.values(),
                        *self.access.grants_to[FunctionalRole.ADMIN],
                    ],
                    owner=self.owner,
                    providers=self.providers,
                ),
                opts=child,
            )
        else:
            self.promotion_triggers = {}
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
