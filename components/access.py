"""Functional roles, per-schema access roles, the grants between them, and ownership by the ADMIN role."""

import pulumi
import pulumi_snowflake as snowflake

from components.providers import SnowflakeProviders, SystemRole
from models.access_matrix import ACCESS_MATRIX, OWNER_ROLE, PRIVILEGES, WAREHOUSE_USAGE, AccessLevel
from models.enums import FunctionalRole, WarehousePurpose
from models.naming import Naming
from models.schema_layout import SchemaSpec


class AccessControl(pulumi.ComponentResource):
    """Least privilege by construction: privileges go to access roles, access roles to functional roles."""

    def __init__(
        self,
        name: str,
        naming: Naming,
        layout: list[SchemaSpec],
        database: snowflake.Database,
        schemas: dict[str, snowflake.Schema],
        warehouses: dict[WarehousePurpose, snowflake.Warehouse],
        providers: SnowflakeProviders,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("sophia:access:AccessControl", name, None, opts)
        self._base = name
        self._naming = naming
        self._database = database
        self._sysadmin = providers.for_role(SystemRole.SYSADMIN)
        self._securityadmin = providers.for_role(SystemRole.SECURITYADMIN)
        self._useradmin = providers.for_role(SystemRole.USERADMIN)
        self.functional_roles = {role: self._create_functional_role(role) for role in FunctionalRole}
        # What each functional role was granted, so work that needs those grants can wait for them.
        self.grants_to: dict[FunctionalRole, list[pulumi.Resource]] = {role: [] for role in FunctionalRole}
        self.rollups = {role: self._roll_up_to_sysadmin(role) for role in FunctionalRole}
        self.access_roles = {
            (spec.name, level): self._create_access_role(spec, level, schemas[spec.name])
            for spec in layout
            for level in AccessLevel
        }
        for spec in layout:
            self._grant(
                f"{spec.name.lower()}-read-in-write",
                snowflake.GrantDatabaseRole,
                database_role_name=naming.qualified_database_role(spec.name, AccessLevel.READ),
                parent_database_role_name=naming.qualified_database_role(spec.name, AccessLevel.WRITE),
                depends_on=[
                    self.access_roles[spec.name, AccessLevel.READ],
                    self.access_roles[spec.name, AccessLevel.WRITE],
                ],
            )
        self._grant_matrix(layout)
        self._grant_warehouse_usage(warehouses)
        self.ownership = self._transfer_ownership(layout, schemas)
        self._grant_task_execution()
        self.register_outputs({role.value.lower(): r.name for role, r in self.functional_roles.items()})

    def _grant(
        self, suffix: str, resource: type[pulumi.CustomResource], depends_on: list, **args
    ) -> pulumi.CustomResource:
        """Every grant is made by SECURITYADMIN, which holds MANAGE GRANTS."""
        return resource(
            f"{self._base}-{suffix}",
            **args,
            opts=pulumi.ResourceOptions(parent=self, provider=self._securityadmin, depends_on=depends_on),
        )

    def _create_functional_role(self, role: FunctionalRole) -> snowflake.AccountRole:
        return snowflake.AccountRole(
            f"{self._base}-role-{role.value.lower()}",
            name=self._naming.functional_role(role),
            comment=f"Sophia AI functional role: {role.value}",
            opts=pulumi.ResourceOptions(parent=self, provider=self._useradmin),
        )

    def _roll_up_to_sysadmin(self, role: FunctionalRole) -> snowflake.GrantAccountRole:
        return snowflake.GrantAccountRole(
            f"{self._base}-{role.value.lower()}-in-sysadmin",
            role_name=self.functional_roles[role].name,
            parent_role_name=SystemRole.SYSADMIN.value,
            opts=pulumi.ResourceOptions(parent=self, provider=self._securityadmin),
        )

    def _create_access_role(
        self, spec: SchemaSpec, level: AccessLevel, schema: snowflake.Schema
    ) -> snowflake.DatabaseRole:
        # Database roles are created by the database's owner lineage (SYSADMIN), not by USERADMIN.
        role = snowflake.DatabaseRole(
            f"{self._base}-{spec.name.lower()}-{level.value.lower()}",
            database=self._database.name,
            name=self._naming.access_role(spec.name, level),
            comment=f"{level.value} access to schema {spec.name}",
            opts=pulumi.ResourceOptions(parent=self, provider=self._sysadmin, depends_on=[schema]),
        )
        self._grant_privileges(spec, level, role)
        return role

    def _grant_privileges(self, spec: SchemaSpec, level: AccessLevel, role: snowflake.DatabaseRole) -> None:
        qualified_role = self._naming.qualified_database_role(spec.name, level)
        qualified_schema = self._naming.in_database(spec.name)
        privileges = PRIVILEGES[level]
        prefix = f"{spec.name.lower()}-{level.value.lower()}"
        targets: dict[str, tuple[tuple[str, ...], dict]] = {
            "schema": (privileges.schema, {"on_schema": {"schema_name": qualified_schema}}),
        }
        if level is AccessLevel.READ:
            targets["database"] = (("USAGE",), {"on_database": self._database.name})
        for plural, granted in (("TABLES", privileges.tables), ("VIEWS", privileges.views)):
            for scope in ("all", "future"):
                targets[f"{scope}-{plural.lower()}"] = (
                    granted,
                    {
                        "on_schema_object": {
                            scope: {"object_type_plural": plural, "in_schema": qualified_schema}
                        }
                    },
                )
        for target, (granted, on) in targets.items():
            if granted:
                self._grant(
                    f"{prefix}-on-{target}",
                    snowflake.GrantPrivilegesToDatabaseRole,
                    depends_on=[role],
                    database_role_name=qualified_role,
                    privileges=list(granted),
                    **on,
                )

    def _grant_matrix(self, layout: list[SchemaSpec]) -> None:
        for functional_role, by_kind in ACCESS_MATRIX.items():
            for spec in layout:
                level = by_kind.get(spec.kind)
                if level is None:
                    continue
                grant = self._grant(
                    f"{spec.name.lower()}-{level.value.lower()}-to-{functional_role.value.lower()}",
                    snowflake.GrantDatabaseRole,
                    depends_on=[self.access_roles[spec.name, level], self.functional_roles[functional_role]],
                    database_role_name=self._naming.qualified_database_role(spec.name, level),
                    parent_role_name=self.functional_roles[functional_role].name,
                )
                self.grants_to[functional_role].append(grant)

    def _grant_warehouse_usage(self, warehouses: dict[WarehousePurpose, snowflake.Warehouse]) -> None:
        for functional_role, purposes in WAREHOUSE_USAGE.items():
            for purpose in sorted(purposes):
                grant = self._grant(
                    f"{purpose.value.lower()}-usage-to-{functional_role.value.lower()}",
                    snowflake.GrantPrivilegesToAccountRole,
                    depends_on=[warehouses[purpose], self.functional_roles[functional_role]],
                    account_role_name=self.functional_roles[functional_role].name,
                    privileges=["USAGE"],
                    on_account_object={"object_type": "WAREHOUSE", "object_name": warehouses[purpose].name},
                )
                self.grants_to[functional_role].append(grant)

    def _transfer_ownership(
        self, layout: list[SchemaSpec], schemas: dict[str, snowflake.Schema]
    ) -> list[snowflake.GrantOwnership]:
        """ADMIN owns the database and schemas."""
        database = self.transfer_ownership("database", "DATABASE", self._naming.database, self._database)
        return [database] + [
            self.transfer_ownership(
                f"schema-{spec.name.lower()}",
                "SCHEMA",
                self._naming.in_database(spec.name),
                schemas[spec.name],
            )
            for spec in layout
        ]

    def transfer_ownership(
        self, suffix: str, object_type: str, object_name: str, target: pulumi.Resource
    ) -> snowflake.GrantOwnership:
        """Hands `target` to the ADMIN role with current grants copied, once ADMIN rolls up to SYSADMIN."""
        owner = self.functional_roles[OWNER_ROLE]
        return snowflake.GrantOwnership(
            f"{self._base}-ownership-{suffix}",
            account_role_name=owner.name,
            outbound_privileges="COPY",
            on={"object_type": object_type, "object_name": object_name},
            opts=pulumi.ResourceOptions(
                parent=self,
                provider=self._securityadmin,
                depends_on=[owner, self.rollups[OWNER_ROLE], target],
            ),
        )

    def _grant_task_execution(self) -> None:
        """The owner of the embedding tasks needs EXECUTE TASK to run them on a schedule."""
        owner = self.functional_roles[OWNER_ROLE]
        self._grant(
            "execute-task-to-admin",
            snowflake.GrantPrivilegesToAccountRole,
            depends_on=[owner],
            account_role_name=owner.name,
            privileges=["EXECUTE TASK"],
            on_account=True,
        )
