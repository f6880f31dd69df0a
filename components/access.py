"""Per-schema access roles, their privileges, and which functional role gets which access role."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from components.context import PlatformComponent, PlatformContext
from components.database import DataPlatformDatabase
from components.providers import SystemRole
from components.roles import FunctionalRoles
from models.access_matrix import ACCESS_MATRIX, PRIVILEGES, AccessLevel, access_levels
from models.enums import FunctionalRole
from models.schema_layout import SchemaSpec


@dataclass(frozen=True)
class AccessControlArgs:
    """The schemas to give access to and the functional roles that get it."""

    layout: Sequence[SchemaSpec]
    database: DataPlatformDatabase
    roles: FunctionalRoles


class AccessControl(PlatformComponent):
    """Least privilege by construction: privileges go to access roles, access roles to functional roles."""

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: AccessControlArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._naming = context.naming
        self._database = args.database
        self._roles = args.roles
        # What each functional role was granted here, so work that needs those grants can wait for them.
        self.grants_to: dict[FunctionalRole, list[pulumi.Resource]] = {role: [] for role in FunctionalRole}
        self.access_roles = {
            (spec.name, level): self._create_access_role(spec, level)
            for spec in args.layout
            for level in access_levels(spec.kind)
        }
        for spec in args.layout:
            for level in access_levels(spec.kind):
                if (included := PRIVILEGES[level].includes) is not None:
                    self._include(spec, included, level)
        self._grant_matrix(args.layout)
        self.register_outputs({"access_roles": [role.name for role in self.access_roles.values()]})

    def _grant(
        self, suffix: str, resource: type[pulumi.CustomResource], depends_on: list, **args
    ) -> pulumi.CustomResource:
        """Every grant is made by SECURITYADMIN, which holds MANAGE GRANTS."""
        return resource(
            f"{self._base}-{suffix}",
            **args,
            opts=self.options(*depends_on, acting_as=SystemRole.SECURITYADMIN),
        )

    def _include(self, spec: SchemaSpec, included: AccessLevel, level: AccessLevel) -> None:
        """Grants the `included` access role to the `level` one, e.g. READ in WRITE."""
        self._grant(
            f"{spec.name.lower()}-{included.value.lower()}-in-{level.value.lower()}",
            snowflake.GrantDatabaseRole,
            database_role_name=self._naming.qualified_database_role(spec.name, included),
            parent_database_role_name=self._naming.qualified_database_role(spec.name, level),
            depends_on=[self.access_roles[spec.name, included], self.access_roles[spec.name, level]],
        )

    def _create_access_role(self, spec: SchemaSpec, level: AccessLevel) -> snowflake.DatabaseRole:
        # Database roles live inside the database, so its owner role creates them, as it does schemas.
        role = snowflake.DatabaseRole(
            f"{self._base}-{spec.name.lower()}-{level.value.lower()}",
            database=self._database.database.name,
            name=self._naming.access_role(spec.name, level),
            comment=f"{level.value} access to schema {spec.name}",
            opts=self.options(self._database.schemas[spec.name], self._database.owner_privileges),
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
            "database": (privileges.database, {"on_database": self._database.database.name}),
        }
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

    def _grant_matrix(self, layout: Sequence[SchemaSpec]) -> None:
        for functional_role, by_kind in ACCESS_MATRIX.items():
            for spec in layout:
                level = by_kind.get(spec.kind)
                if level is None:
                    continue
                grant = self._grant(
                    f"{spec.name.lower()}-{level.value.lower()}-to-{functional_role.value.lower()}",
                    snowflake.GrantDatabaseRole,
                    depends_on=[self.access_roles[spec.name, level], self._roles.by_role[functional_role]],
                    database_role_name=self._naming.qualified_database_role(spec.name, level),
                    parent_role_name=self._roles.by_role[functional_role].name,
                )
                self.grants_to[functional_role].append(grant)
