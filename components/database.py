"""The stack's database, what its owner role may do in it, and the managed-access schemas that role creates."""

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_snowflake as snowflake

from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from models.access_matrix import OWNER_DATABASE_PRIVILEGES
from models.schema_layout import SchemaSpec
from stack.config import DatabaseConfig
from stack.security import LoggingConfig


@dataclass(frozen=True)
class DataPlatformDatabaseArgs:
    """The database's config, its schemas, and what its procedures and tasks log."""

    config: DatabaseConfig
    layout: Sequence[SchemaSpec]
    # What procedures and tasks in the database write to its event table (set by the audit trail).
    logging: LoggingConfig = field(default_factory=LoggingConfig)


class DataPlatformDatabase(PlatformComponent):
    """SYSADMIN creates the database; the owner role creates every schema in it, so it owns them.

    Every schema has managed access and the retention its data deserves.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: DataPlatformDatabaseArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._config = args.config
        self._logging = args.logging
        owner_role = context.owner.role
        self.database = self._create_database(name)
        # What the owner role may do in the database, which objects created in it wait for.
        self.owner_privileges = snowflake.GrantPrivilegesToAccountRole(
            f"{name}-owner-privileges",
            account_role_name=owner_role.name,
            privileges=list(OWNER_DATABASE_PRIVILEGES),
            on_account_object={"object_type": "DATABASE", "object_name": self.database.name},
            opts=self.options(self.database, owner_role, acting_as=SystemRole.SECURITYADMIN),
        )
        self.schemas = {spec.name: self._create_schema(name, spec) for spec in args.layout}
        self.register_outputs(
            {"database": self.database.name, "schemas": [schema.name for schema in self.schemas.values()]}
        )

    def _create_database(self, name: str) -> snowflake.Database:
        return snowflake.Database(
            f"{name}-database",
            name=self._config.name,
            data_retention_time_in_days=self._config.retention_days,
            comment=self._config.comment,
            log_level=self._logging.log_level.value,
            trace_level=self._logging.trace_level.value,
            opts=self.options(acting_as=SystemRole.SYSADMIN, stateful=True),
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
            opts=self.options(self.owner_privileges, stateful=True),
        )
