"""One explicit Snowflake provider per system role, so each object is made by the least-privileged role."""

from enum import StrEnum

import pulumi
import pulumi_snowflake as snowflake

from models.enums import Authenticator
from stack.config import StackConfig

# Preview resources of pulumi-snowflake, enabled only on the provider of the role that manages them.
PREVIEW_FEATURES = {
    "SYSADMIN": ["snowflake_table_resource", "snowflake_table_constraint_resource"],
    "SECURITYADMIN": ["snowflake_network_policy_attachment_resource"],
}


class SystemRole(StrEnum):
    """Snowflake's system roles, from most to least often used here."""

    SYSADMIN = "SYSADMIN"
    USERADMIN = "USERADMIN"
    SECURITYADMIN = "SECURITYADMIN"
    ACCOUNTADMIN = "ACCOUNTADMIN"


class SnowflakeProviders(pulumi.ComponentResource):
    """SYSADMIN for objects, USERADMIN for roles and users, SECURITYADMIN for grants, ACCOUNTADMIN for monitors."""

    def __init__(self, name: str, config: StackConfig, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("sophia:providers:SnowflakeProviders", name, None, opts)
        self._config = config
        self.by_role = {role: self._create_provider(name, role) for role in SystemRole}
        self.register_outputs({f"{role.value.lower()}_role": role.value for role in self.by_role})

    def for_role(self, role: SystemRole) -> snowflake.Provider:
        """The provider that acts as `role`."""
        return self.by_role[role]

    def _create_provider(self, name: str, role: SystemRole) -> snowflake.Provider:
        account = self._config.snowflake_account
        credentials = (
            {"token": pulumi.Output.secret(self._config.snowflake_token.get_secret_value())}
            if account.authenticator is Authenticator.PROGRAMMATIC_ACCESS_TOKEN
            else {"private_key": pulumi.Output.secret(self._config.snowflake_private_key.get_secret_value())}
        )
        return snowflake.Provider(
            f"{name}-{role.value.lower()}",
            organization_name=pulumi.Output.secret(account.organization_name),
            account_name=pulumi.Output.secret(account.account_name),
            user=account.user,
            role=role.value,
            authenticator=account.authenticator.value,
            preview_features_enabled=PREVIEW_FEATURES.get(role.value),
            **credentials,
            opts=pulumi.ResourceOptions(parent=self),
        )
