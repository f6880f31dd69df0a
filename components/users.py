"""Service users (TYPE = SERVICE): key-pair sign-in only, one functional role, each under its own network policy."""

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_snowflake as snowflake

from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from models.access_matrix import DEFAULT_WAREHOUSE
from models.enums import FunctionalRole, WarehousePurpose
from stack.config import ServiceUserConfig

# Setting NETWORK_POLICY on CREATE USER needs a role that has or inherits OWNERSHIP of the policy
# (Snowflake release note "CREATE USER command: NETWORK_POLICY parameter must specify a valid
# network policy"); only SECURITYADMIN may create network policies (CREATE NETWORK POLICY) and it
# inherits CREATE USER from USERADMIN, so it is the least-privileged role that can do both.
CREATED_BY = SystemRole.SECURITYADMIN


@dataclass(frozen=True)
class ServiceUsersArgs:
    """Each user's config and public key, and the roles they default to."""

    users: Mapping[str, ServiceUserConfig]
    public_keys: Mapping[str, str]
    functional_roles: Mapping[FunctionalRole, snowflake.AccountRole]
    # RSA_PUBLIC_KEY_2 per user, for rotation without downtime (ALTER USER ... SET RSA_PUBLIC_KEY_2).
    second_public_keys: Mapping[str, str] = field(default_factory=dict)


class ServiceUsers(PlatformComponent):
    """SECURITYADMIN makes each user with its network policy set on the user, and grants it its role."""

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: ServiceUsersArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._naming = context.naming
        # Each user's grant of its functional role, so work done as that user can wait until it holds it.
        self.role_grants: dict[str, snowflake.GrantAccountRole] = {}
        self.users = {
            user: self._create_user(
                user,
                config,
                (args.public_keys[user], args.second_public_keys.get(user)),
                args.functional_roles[config.functional_role],
                context.warehouses,
            )
            for user, config in args.users.items()
        }
        self.register_outputs({user.lower(): created.name for user, created in self.users.items()})

    def _create_user(
        self,
        user: str,
        config: ServiceUserConfig,
        public_keys: tuple[str, str | None],
        role: snowflake.AccountRole,
        warehouses: Mapping[WarehousePurpose, snowflake.Warehouse],
    ) -> snowflake.ServiceUser:
        base = f"{self._base}-{user.lower()}"
        default_warehouse = DEFAULT_WAREHOUSE.get(config.functional_role)
        policy = snowflake.NetworkPolicy(
            f"{base}-network-policy",
            name=self._naming.network_policy(user),
            allowed_ip_lists=config.allowed_ips,
            comment=f"Where {user} may sign in from",
            opts=self.options(acting_as=CREATED_BY),
        )
        service_user = snowflake.ServiceUser(
            f"{base}-user",
            name=self._naming.service_user(user),
            rsa_public_key=public_keys[0],
            rsa_public_key2=public_keys[1],
            default_role=role.name,
            default_warehouse=warehouses[default_warehouse].name if default_warehouse else None,
            default_secondary_roles_option="NONE",
            # The user's own field, as pulumi-snowflake documents for a user it manages: a
            # NetworkPolicyAttachment on the same user "will result in improper behavior" (provider
            # docs/resources/service_user.md and MIGRATION_GUIDE.md, v0.95.0).
            network_policy=policy.name,
            comment=config.comment or f"Service user for {user}",
            opts=self.options(acting_as=CREATED_BY),
        )
        self.role_grants[user] = snowflake.GrantAccountRole(
            f"{base}-role-grant",
            role_name=role.name,
            user_name=service_user.name,
            opts=self.options(acting_as=CREATED_BY),
        )
        return service_user
