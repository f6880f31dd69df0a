"""The whole Sophia AI data platform, composed from one component per concern."""

import pulumi

from components.access import AccessControl
from components.database import DataPlatformDatabase
from components.governance import Governance
from components.ingestion import AirbyteIngestion
from components.knowledge import KnowledgeLayer
from components.owner import DatabaseOwner
from components.providers import SnowflakeProviders
from components.quality import QualityGate, QualityGateArgs
from components.roles import FunctionalRoles
from components.users import ServiceUsers
from components.warehouses import Warehouses
from models.credits import credit_ceiling
from models.enums import Environment, FunctionalRole, WarehousePurpose
from models.naming import Naming
from models.schema_layout import schema_layout
from stack.config import StackConfig


class SophiaDataPlatform(pulumi.ComponentResource):
    """Warehouses, database, access, governance, service users, knowledge and Airbyte ingestion of one stack.

    Declared in the order a new account needs: roles and their privileges before the objects they create.
    """

    def __init__(self, name: str, config: StackConfig, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("sophia:platform:SophiaDataPlatform", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        naming = Naming(prefix=config.name_prefix, database=config.database.name)
        self.providers = SnowflakeProviders(f"{name}-providers", config, opts=child)
        self.warehouses = Warehouses(
            f"{name}-warehouses",
            config.warehouses,
            config.resource_monitors,
            naming,
            self.providers,
            opts=child,
        )
        self.roles = FunctionalRoles(
            f"{name}-roles", naming, self.warehouses.by_purpose, self.providers, opts=child
        )
        self.owner = DatabaseOwner(
            f"{name}-owner",
            config.snowflake_account.user,
            self.roles,
            self.warehouses.by_purpose,
            self.providers,
            opts=child,
        )
        layout = schema_layout(config.sources)
        self.database = DataPlatformDatabase(
            f"{name}-database",
            config.database,
            layout,
            config.protect_stateful,
            self.owner,
            self.providers,
            opts=child,
        )
        self.access = AccessControl(
            f"{name}-access",
            naming,
            layout,
            self.database,
            self.roles,
            self.owner,
            self.providers,
            opts=child,
        )
        self.governance = Governance(
            f"{name}-governance",
            naming,
            layout,
            self.database.schemas,
            self.warehouses.by_purpose,
            [naming.functional_role(role) for role in config.pii_allowed_roles],
            self.owner,
            self.providers,
            opts=child,
        )
        self.service_users = ServiceUsers(
            f"{name}-users",
            config.service_users,
            config.service_public_keys,
            naming,
            self.roles.by_role,
            self.warehouses.by_purpose,
            self.providers,
            opts=child,
        )
        self.knowledge = KnowledgeLayer(
            f"{name}-knowledge",
            config.catalog,
            config.embedding,
            naming,
            self.database.schemas,
            self.warehouses.by_purpose[config.embedding.warehouse],
            self.governance,
            self.owner,
            protect=config.protect_stateful,
            start_tasks=config.environment is Environment.PROD,
            opts=child,
        )
        if config.airbyte is not None:
            self.ingestion = AirbyteIngestion(
                f"{name}-ingestion",
                config.airbyte,
                config.snowflake_account,
                naming,
                etl_role=self.roles.by_role[FunctionalRole.ETL].name,
                etl_warehouse=self.warehouses.by_purpose[WarehousePurpose.ETL].name,
                airbyte_user=self.service_users.users["AIRBYTE"],
                raw_schemas=self.database.schemas,
                # What the ETL role may do, and the Airbyte user's holding of that role.
                etl_grants=[
                    *self.roles.usage[FunctionalRole.ETL].values(),
                    *self.access.grants_to[FunctionalRole.ETL],
                    self.service_users.role_grants["AIRBYTE"],
                ],
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
                    streams={source: spec.promoted_streams(source) for source, spec in sources.items()},
                    ops_schema=self.database.schemas["SOPHIA_OPS"],
                    warehouses=self.warehouses.by_purpose,
                    owner_access=self.access.grants_to[FunctionalRole.ADMIN],
                    knowledge_views=self.knowledge.views,
                    owner=self.owner,
                    governance=self.governance,
                    providers=self.providers,
                    protect=config.protect_stateful,
                ),
                opts=child,
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
            }
        )
