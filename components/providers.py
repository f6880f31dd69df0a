"""One explicit Snowflake provider per role that creates objects, so each object is made by the role that owns it."""

from dataclasses import dataclass
from enum import StrEnum

import pulumi
import pulumi_snowflake as snowflake
from pydantic import SecretStr

from models.enums import Authenticator
from stack.config import SnowflakeAccountConfig

# Preview resources of pulumi-snowflake, enabled only on the provider that manages them: the owner's.
OWNER_PREVIEW_FEATURES = [
    "snowflake_table_resource",
    "snowflake_table_constraint_resource",
    "snowflake_procedure_python_resource",
    "snowflake_alert_resource",
    "snowflake_email_notification_integration_resource",
    # The semantic layer's search service; a dynamic table would need snowflake_dynamic_table_resource too.
    "snowflake_cortex_search_service_resource",
]


class SystemRole(StrEnum):
    """Snowflake's system roles, from most to least often used here."""

    SYSADMIN = "SYSADMIN"
    USERADMIN = "USERADMIN"
    SECURITYADMIN = "SECURITYADMIN"
    ACCOUNTADMIN = "ACCOUNTADMIN"


@dataclass(frozen=True)
class SnowflakeProvidersArgs:
    """The account and the deploying user, and the one credential its authenticator needs."""

    account: SnowflakeAccountConfig
    token: SecretStr | None
    private_key: SecretStr | None


class SnowflakeProviders(pulumi.ComponentResource):
    """SYSADMIN for objects, USERADMIN for roles and users, SECURITYADMIN for grants, ACCOUNTADMIN for monitors."""

    def __init__(
        self, name: str, args: SnowflakeProvidersArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("sophia:providers:SnowflakeProviders", name, None, opts)
        self._args = args
        self.by_role = {
            role: self.acting_as(
                f"{name}-{role.value.lower()}",
                role.value,
                pulumi.ResourceOptions(parent=self),
            )
            for role in SystemRole
        }
        self.register_outputs({f"{role.value.lower()}_role": role.value for role in self.by_role})

    def for_role(self, role: SystemRole) -> snowflake.Provider:
        """The provider that acts as `role`."""
        return self.by_role[role]

    def acting_as(
        self,
        resource_name: str,
        role: pulumi.Input[str],
        opts: pulumi.ResourceOptions,
        warehouse: pulumi.Input[str] | None = None,
        preview_features: list[str] | None = None,
    ) -> snowflake.Provider:
        """A provider signed in as the deploying user acting as `role`; `opts` name its parent and prerequisites."""
        account = self._args.account
        credentials = (
            {"token": pulumi.Output.secret(self._args.token.get_secret_value())}
            if account.authenticator is Authenticator.PROGRAMMATIC_ACCESS_TOKEN
            else {"private_key": pulumi.Output.secret(self._args.private_key.get_secret_value())}
        )
        return snowflake.Provider(
            resource_name,
            organization_name=pulumi.Output.secret(account.organization_name),
            account_name=pulumi.Output.secret(account.account_name),
            user=account.user,
            role=role,
            warehouse=warehouse,
            authenticator=account.authenticator.value,
            preview_features_enabled=preview_features,
            **credentials,
            opts=opts,
        )
