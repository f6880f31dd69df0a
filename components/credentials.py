"""Service users' credential lifecycle: how each may sign in, its tokens, and alerts before anything expires."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.quality_gate.alerts import AlertSpec
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
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
    """The service users, their config and role grants, the security config, where the alerts run."""

    users: Mapping[str, snowflake.ServiceUser]
    user_configs: Mapping[str, ServiceUserConfig]
    role_grants: Mapping[str, pulumi.Resource]
    security: SecurityConfig
    alerts: AlertTarget | None


class ServiceCredentials(PlatformComponent):
    """Per service user an authentication policy limited to the methods it uses, and its declared token.

    The owner creates the policies in SOPHIA_OPS and, holding APPLY AUTHENTICATION POLICY on the account,
    sets them on the users (ALTER USER ... SET AUTHENTICATION POLICY, access control requirements).
    SECURITYADMIN, which created and so owns the users, adds their tokens (ALTER USER ... ADD PROGRAMMATIC
    ACCESS TOKEN: OWNERSHIP of a user lets a role manage its tokens).
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: CredentialsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._args, self._naming = args, context.naming
        self._ops_schema = context.schemas[OPS_SCHEMA]
        self.apply_privilege = snowflake.GrantPrivilegesToAccountRole(
            f"{name}-apply-authentication-policy",
            account_role_name=context.owner.role.name,
            privileges=list(OWNER_CREDENTIAL_ACCOUNT_PRIVILEGES),
            on_account=True,
            opts=self.options(context.owner.role, acting_as=SystemRole.SECURITYADMIN),
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
                    u.lower(): self._naming.authentication_policy(u) for u in args.users
                },
                "tokens": sorted(self.tokens),
            }
        )

    def _limit_methods(self, user: str) -> snowflake.AuthenticationPolicy:
        args = self._args
        base = f"{self._base}-{user.lower()}"
        policy = snowflake.AuthenticationPolicy(
            f"{base}-authentication-policy",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=self._naming.authentication_policy(user),
            authentication_methods=[method.value for method in args.security.methods(user)],
            # Drivers only: a service user never opens Snowsight (authentication_policy.py, client_types).
            client_types=["DRIVERS"],
            comment=f"How {user} may sign in",
            opts=self.options(self._ops_schema),
        )
        snowflake.UserAuthenticationPolicyAttachment(
            f"{base}-authentication-policy-attachment",
            user_name=args.users[user].name,
            authentication_policy_name=self._naming.in_database(
                OPS_SCHEMA, self._naming.authentication_policy(user)
            ),
            opts=self.options(policy, args.users[user], self.apply_privilege),
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
            role_restriction=self._naming.functional_role(role),
            days_to_expiry=days,
            # A new value rotates the token; the old secret stops working after 24 hours, time to roll out.
            keeper=rotation,
            expire_rotated_token_after_hours=24,
            comment=f"Programmatic access token of {user}",
            opts=self.options(
                args.users[user],
                args.role_grants[user],
                self.policies[user],
                acting_as=SystemRole.SECURITYADMIN,
            ),
        )

    def _create_alert(self, spec: AlertSpec) -> snowflake.Alert:
        target, args = self._args.alerts, self._args
        assert target is not None
        return snowflake.Alert(
            f"{self._base}-{spec.name.lower().replace('_', '-')}",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=spec.name,
            warehouse=target.warehouse.name,
            alert_schedule=Schedule.parse(args.security.credentials.alert_schedule).alert_args(),
            condition=spec.condition,
            action=spec.action,
            enabled=True,
            comment=f"Sophia AI credential alert {spec.name}",
            opts=self.options(target.integration, target.warehouse, *target.waits, *target.reads),
        )
