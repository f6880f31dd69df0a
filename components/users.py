"""Service users (TYPE = SERVICE): key-pair sign-in only, one functional role, each under its own network policy."""

import pulumi
import pulumi_snowflake as snowflake

from components.providers import SnowflakeProviders, SystemRole
from models.access_matrix import DEFAULT_WAREHOUSE
from models.enums import FunctionalRole, WarehousePurpose
from models.naming import Naming
from stack.config import ServiceUserConfig


class ServiceUsers(pulumi.ComponentResource):
    """USERADMIN creates the users; SECURITYADMIN owns their network policies and grants them their role."""

    def __init__(
        self,
        name: str,
        users: dict[str, ServiceUserConfig],
        public_keys: dict[str, str],
        naming: Naming,
        functional_roles: dict[FunctionalRole, snowflake.AccountRole],
        warehouses: dict[WarehousePurpose, snowflake.Warehouse],
        providers: SnowflakeProviders,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("sophia:users:ServiceUsers", name, None, opts)
        self._base = name
        self._naming = naming
        self._useradmin = providers.for_role(SystemRole.USERADMIN)
        self._securityadmin = providers.for_role(SystemRole.SECURITYADMIN)
        # Each user's grant of its functional role, so work done as that user can wait until it holds it.
        self.role_grants: dict[str, snowflake.GrantAccountRole] = {}
        self.users = {
            user: self._create_user(
                user, config, public_keys[user], functional_roles[config.functional_role], warehouses
            )
            for user, config in users.items()
        }
        self.register_outputs({user.lower(): created.name for user, created in self.users.items()})

    def _create_user(
        self,
        user: str,
        config: ServiceUserConfig,
        public_key: str,
        role: snowflake.AccountRole,
        warehouses: dict[WarehousePurpose, snowflake.Warehouse],
    ) -> snowflake.ServiceUser:
        base = f"{self._base}-{user.lower()}"
        policy = snowflake.NetworkPolicy(
            f"{base}-network-policy",
            name=self._naming.network_policy(user),
            allowed_ip_lists=config.allowed_ips,
            comment=f"Where {user} may sign in from",
            opts=pulumi.ResourceOptions(parent=self, provider=self._securityadmin),
        )
        service_user = snowflake.ServiceUser(
            f"{base}-user",
            name=self._naming.service_user(user),
            rsa_public_key=public_key,
            default_role=role.name,
            default_warehouse=warehouses[DEFAULT_WAREHOUSE[config.functional_role]].name,
            default_secondary_roles_option="NONE",
            comment=config.comment or f"Service user for {user}",
            # SECURITYADMIN attaches the policy below; USERADMIN must not fight over it.
            opts=pulumi.ResourceOptions(
                parent=self, provider=self._useradmin, ignore_changes=["networkPolicy"]
            ),
        )
        snowflake.NetworkPolicyAttachment(
            f"{base}-network-policy-attachment",
            network_policy_name=policy.name,
            users=[service_user.name],
            set_for_account=False,
            opts=pulumi.ResourceOptions(parent=self, provider=self._securityadmin),
        )
        self.role_grants[user] = snowflake.GrantAccountRole(
            f"{base}-role-grant",
            role_name=role.name,
            user_name=service_user.name,
            opts=pulumi.ResourceOptions(parent=self, provider=self._securityadmin),
        )
        return service_user
