"""The whole Sophia AI data platform, composed from one component per concern."""

import pulumi

from components.config import StackConfig
from components.credits import credit_ceiling
from components.database import DataPlatformDatabase
from components.naming import Naming
from components.providers import SnowflakeProviders
from components.schema_layout import schema_layout
from components.warehouses import Warehouses


class SophiaDataPlatform(pulumi.ComponentResource):
    """Providers, warehouses and the database of one stack."""

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
        self.database = DataPlatformDatabase(
            f"{name}-database",
            config.database,
            schema_layout(config.sources),
            config.protect_stateful,
            self.providers,
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
