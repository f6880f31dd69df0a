"""Service users' credential lifecycle: how each may sign in, its tokens, and alerts before anything expires."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.quality_gate.alerts import AlertSpec
from components.owner import DatabaseOwner
from components.providers import SnowflakeProviders, SystemRole
from models.access_matrix import OWNER_CREDENTIAL_ACCOUNT_PRIVILEGES
from models.enums import FunctionalRole
from models.naming import OPS_SCHEMA, Naming
from models.schedules import Schedule
from stack.config import ServiceUserConfig
from stack.security import SecurityConfig


@dataclass(frozen=True)
class AlertTarget:
    """Where the credential alerts run and send: the gate's integration, warehouse and schedule privileges."""

    integration: pulumi.Resource
    warehouse: snowflake.Warehouse
    waits: Sequence[pulumi.Resource]
    specs: Sequence[AlertSpec]
    reads: Sequence[pulumi.Resource]


@dataclass(frozen=True)
class CredentialsArgs:
    """The service users and their config, the security config, and who creates what."""

    users: Mapping[str, snowflake.ServiceUser]
    user_configs: Mapping[str, ServiceUserConfig]
    role_grants: Mapping[str, pulumi.Resource]
    security: SecurityConfig
    naming: Naming
    ops_schema: snowflake.Schema
    owner: DatabaseOwner
    providers: SnowflakeProviders
    alerts: AlertTarget | None


class ServiceCredentials(pulumi.ComponentResource):
    """Per service user an authentication policy limited to the methods it uses, and its declared token.

    The owner creates the policies in SOPHIA_OPS and, holding APPLY AUTHENTICATION POLICY on the account,
    sets them on the users (ALTER USER ... SET AUTHENTICATION POLICY, access control requirements).
    SECURITYADMIN, which created and so owns the users, adds their tokens (ALTER USER ... ADD PROGRAMMATIC
    ACCESS TOKEN: OWNERSHIP of a user lets a role manage its tokens).
    """

    def __init__(self, name: str, args: CredentialsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("sophia:credentials:ServiceCredentials", name, None, opts)
        self._base = name
        self._args = args
        self._securityadmin = args.providers.for_role(SystemRole.SECURITYADMIN)
        self.apply_privilege = snowflake.GrantPrivilegesToAccountRole(
            f"{name}-apply-authentication-policy",
            account_role_name=args.owner.role.name,
            privileges=list(OWNER_CREDENTIAL_ACCOUNT_PRIVILEGES),
            on_account=True,
            opts=pulumi.ResourceOptions(
                parent=self, provider=self._securityadmin, depends_on=[args.owner.role]
            ),
        )
        self.policies = {user: self._limit_methods(user) for user in args.users}
        self.tokens = {
            user: self._create_token(user, token.days_to_expiry, token.rotation)
            for user, token in args.security.credentials.tokens.items()
        }
        self.alerts = [self._create_alert(spec) for spec in (args.alerts.specs if args.alerts else [])]
        self.register_outputs(
            {
                "authentication_policies": {
                    u.lower(): args.naming.authentication_policy(u) for u in args.users
                },
                "tokens": sorted(self.tokens),
            }
        )

    def _owned(self, *depends_on: pulumi.Resource) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=self, provider=self._args.owner.provider, depends_on=list(depends_on)
        )

    def _limit_methods(self, user: str) -> snowflake.AuthenticationPolicy:
        args = self._args
        base = f"{self._base}-{user.lower()}"
        policy = snowflake.AuthenticationPolicy(
            f"{base}-authentication-policy",
            database=args.naming.database,
            schema=OPS_SCHEMA,
            name=args.naming.authentication_policy(user),
            authentication_methods=[method.value for method in args.security.methods(user)],
            # Drivers only: a service user never opens Snowsight (authentication_policy.py, client_types).
            client_types=["DRIVERS"],
            comment=f"How {user} may sign in",
            opts=self._owned(args.ops_schema),
        )
        snowflake.UserAuthenticationPolicyAttachment(
            f"{base}-authentication-policy-attachment",
            user_name=args.users[user].name,
            authentication_policy_name=args.naming.in_database(
                OPS_SCHEMA, args.naming.authentication_policy(user)
            ),
            opts=self._owned(policy, args.users[user], self.apply_privilege),
        )
        return policy

    def _create_token(self, user: str, days: int, rotation: str) -> snowflake.UserProgrammaticAccessToken:
        """Restricted to the user's functional role, as Snowflake requires of a service user's token."""
        args = self._args
        role: FunctionalRole = args.user_configs[user].functional_role
        return snowflake.UserProgrammaticAccessToken(
            f"{self._base}-{user.lower()}-token",
            user=args.users[user].name,
            name=Naming.access_token(user),
            role_restriction=args.naming.functional_role(role),
            days_to_expiry=days,
            # A new value rotates the token; the old secret stops working after 24 hours, time to roll out.
            keeper=rotation,
            expire_rotated_token_after_hours=24,
            comment=f"Programmatic access token of {user}",
            opts=pulumi.ResourceOptions(
                parent=self,
                provider=self._securityadmin,
                depends_on=[args.users[user], args.role_grants[user], self.policies[user]],
            ),
        )

    def _create_alert(self, spec: AlertSpec) -> snowflake.Alert:
        target, args = self._args.alerts, self._args
        assert target is not None
        return snowflake.Alert(
            f"{self._base}-{spec.name.lower().replace('_', '-')}",
            database=args.naming.database,
            schema=OPS_SCHEMA,
            name=spec.name,
            warehouse=target.warehouse.name,
            alert_schedule=Schedule.parse(args.security.credentials.alert_schedule).alert_args(),
            condition=spec.condition,
            action=spec.action,
            enabled=True,
            comment=f"Sophia AI credential alert {spec.name}",
            opts=self._owned(target.integration, target.warehouse, *target.waits, *target.reads),
        )
