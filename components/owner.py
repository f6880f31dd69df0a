"""The role that creates, and so owns, every object inside the database, and the provider that acts as it."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from components.providers import OWNER_PREVIEW_FEATURES, SnowflakeProviders, SystemRole
from components.roles import FunctionalRoles
from models.access_matrix import OWNER_ACCOUNT_PRIVILEGES, OWNER_CONNECTION_WAREHOUSE, OWNER_ROLE
from models.enums import WarehousePurpose


@dataclass(frozen=True)
class DatabaseOwnerArgs:
    """The deploying user the role is granted to, the roles, the warehouse to connect with, the providers."""

    deploying_user: str
    roles: FunctionalRoles
    warehouses: Mapping[WarehousePurpose, snowflake.Warehouse]
    providers: SnowflakeProviders


class DatabaseOwner(pulumi.ComponentResource):
    """The ADMIN role's account privileges, its grant to the deploying user, and a provider acting as it.

    The provider signs in only once the role, its grant to the deploying user and the USAGE of its
    warehouse exist; what it creates waits for the privileges each object needs.
    """

    def __init__(
        self, name: str, args: DatabaseOwnerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("sophia:owner:DatabaseOwner", name, None, opts)
        securityadmin = args.providers.for_role(SystemRole.SECURITYADMIN)
        self.role = args.roles.by_role[OWNER_ROLE]
        # SYSADMIN inherits what the owner holds, such as USAGE on the owner's schemas, through this grant.
        self.rollup = args.roles.rollups[OWNER_ROLE]
        self.warehouse_usage = args.roles.usage[OWNER_ROLE]
        self.account_privileges = snowflake.GrantPrivilegesToAccountRole(
            f"{name}-account-privileges",
            account_role_name=self.role.name,
            privileges=list(OWNER_ACCOUNT_PRIVILEGES),
            on_account=True,
            opts=pulumi.ResourceOptions(parent=self, provider=securityadmin, depends_on=[self.role]),
        )
        self.deploying_user_grant = snowflake.GrantAccountRole(
            f"{name}-role-to-deploying-user",
            role_name=self.role.name,
            user_name=args.deploying_user,
            opts=pulumi.ResourceOptions(parent=self, provider=securityadmin, depends_on=[self.role]),
        )
        connection_usage = self.warehouse_usage[OWNER_CONNECTION_WAREHOUSE]
        self.provider = args.providers.acting_as(
            f"{name}-provider",
            # Unknown in a preview until the user holds the role: the engine does not configure a
            # provider whose inputs are unknown (pulumi sdk/go/common/resource/plugin/provider_plugin.go),
            # so no preview signs in as a role the user does not hold yet.
            pulumi.Output.all(self.role.name, self.deploying_user_grant.id).apply(lambda values: values[0]),
            pulumi.ResourceOptions(
                parent=self, depends_on=[self.role, self.deploying_user_grant, connection_usage]
            ),
            warehouse=args.warehouses[OWNER_CONNECTION_WAREHOUSE].name,
            preview_features=OWNER_PREVIEW_FEATURES,
        )
        self.register_outputs({"role": self.role.name})
