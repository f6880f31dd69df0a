"""The stack's database and its managed-access schemas."""

import pulumi
import pulumi_snowflake as snowflake

from components.providers import SnowflakeProviders, SystemRole
from models.schema_layout import SchemaSpec
from stack.config import DatabaseConfig


class DataPlatformDatabase(pulumi.ComponentResource):
    """One database per stack; every schema has managed access and the retention its data deserves."""

    def __init__(
        self,
        name: str,
        config: DatabaseConfig,
        layout: list[SchemaSpec],
        protect: bool,
        providers: SnowflakeProviders,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("sophia:database:DataPlatformDatabase", name, None, opts)
        self._config = config
        self._protect_stateful = protect
        self._sysadmin = providers.for_role(SystemRole.SYSADMIN)
        self.database = self._create_database(name)
        self.schemas = {spec.name: self._create_schema(name, spec) for spec in layout}
        self.register_outputs(
            {"database": self.database.name, "schemas": [schema.name for schema in self.schemas.values()]}
        )

    def _create_database(self, name: str) -> snowflake.Database:
        return snowflake.Database(
            f"{name}-database",
            name=self._config.name,
            data_retention_time_in_days=self._config.retention_days,
            comment=self._config.comment,
            opts=pulumi.ResourceOptions(parent=self, provider=self._sysadmin, protect=self._protect_stateful),
        )

    def _create_schema(self, name: str, spec: SchemaSpec) -> snowflake.Schema:
        retention = self._config.critical_retention_days if spec.is_critical else self._config.retention_days
        return snowflake.Schema(
            f"{name}-schema-{spec.name.lower()}",
            database=self.database.name,
            name=spec.name,
            with_managed_access="true",
            data_retention_time_in_days=retention,
            comment=spec.comment,
            opts=pulumi.ResourceOptions(parent=self, provider=self._sysadmin, protect=self._protect_stateful),
        )
