"""The functional account roles, rolled up to SYSADMIN, and the warehouses each may use."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from components.providers import SnowflakeProviders, SystemRole
from models.access_matrix import WAREHOUSE_USAGE
from models.enums import FunctionalRole, WarehousePurpose
from models.naming import Naming


@dataclass(frozen=True)
class FunctionalRolesArgs:
    """The warehouses the roles may use, and the providers that create and grant them."""

    naming: Naming
    warehouses: Mapping[WarehousePurpose, snowflake.Warehouse]
    providers: SnowflakeProviders


class FunctionalRoles(pulumi.ComponentResource):
    """USERADMIN creates the roles; SECURITYADMIN rolls them up to SYSADMIN and grants their warehouses."""

    def __init__(
        self, name: str, args: FunctionalRolesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("sophia:roles:FunctionalRoles", name, None, opts)
        self._base = name
        self._securityadmin = args.providers.for_role(SystemRole.SECURITYADMIN)
        useradmin = args.providers.for_role(SystemRole.USERADMIN)
        self.by_role = {
            role: snowflake.AccountRole(
                f"{name}-{role.value.lower()}",
                name=args.naming.functional_role(role),
                comment=f"Sophia AI functional role: {role.value}",
                opts=pulumi.ResourceOptions(parent=self, provider=useradmin),
            )
            for role in FunctionalRole
        }
        self.rollups = {role: self._roll_up_to_sysadmin(role) for role in FunctionalRole}
        # Each role's USAGE grant per warehouse, so work done on a warehouse can wait for it.
        self.usage = {
            role: {
                purpose: self._grant_usage(role, purpose, args.warehouses[purpose])
                for purpose in sorted(purposes)
            }
            for role, purposes in WAREHOUSE_USAGE.items()
        }
        self.register_outputs({role.value.lower(): created.name for role, created in self.by_role.items()})

    def _roll_up_to_sysadmin(self, role: FunctionalRole) -> snowflake.GrantAccountRole:
        return snowflake.GrantAccountRole(
            f"{self._base}-{role.value.lower()}-in-sysadmin",
            role_name=self.by_role[role].name,
            parent_role_name=SystemRole.SYSADMIN.value,
            opts=pulumi.ResourceOptions(parent=self, provider=self._securityadmin),
        )

    def _grant_usage(
        self, role: FunctionalRole, purpose: WarehousePurpose, warehouse: snowflake.Warehouse
    ) -> snowflake.GrantPrivilegesToAccountRole:
        return snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-{role.value.lower()}-uses-{purpose.value.lower()}",
            account_role_name=self.by_role[role].name,
            privileges=["USAGE"],
            on_account_object={"object_type": "WAREHOUSE", "object_name": warehouse.name},
            opts=pulumi.ResourceOptions(
                parent=self, provider=self._securityadmin, depends_on=[warehouse, self.by_role[role]]
            ),
        )
