"""Row access, the audit trail and service credentials of one stack, declared from its config in one place."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.quality_gate.objects import DECISIONS, GateObjects
from catalog.security import AuditScope, credential_alerts
from components.audit import AuditArgs, AuditTrail
from components.context import PlatformContext
from components.credentials import AlertTarget, CredentialsArgs, ServiceCredentials
from components.providers import SystemRole
from components.quality_gate import QualityGate
from components.row_access import RowAccess, RowAccessArgs
from models.access_matrix import OWNER_ROLE, SnowflakeDatabaseRole
from models.enums import Authenticator, FunctionalRole
from models.naming import OPS_SCHEMA, Naming
from models.security import AuthenticationMethod
from stack.config import StackConfig

# How the deploying user signs in, as the login audit names the method.
DEPLOYER_METHOD = {
    Authenticator.PROGRAMMATIC_ACCESS_TOKEN: AuthenticationMethod.PROGRAMMATIC_ACCESS_TOKEN,
    Authenticator.SNOWFLAKE_JWT: AuthenticationMethod.KEYPAIR,
}


def audit_scope(config: StackConfig, naming: Naming) -> AuditScope:
    """The stack's database, roles and users, the roles the program grants with, each user's methods."""
    deployer = config.snowflake_account
    methods = {naming.service_user(user): config.security.methods(user) for user in config.service_users}
    methods[deployer.user] = [DEPLOYER_METHOD[deployer.authenticator]]
    return AuditScope(
        database=config.database.name,
        roles=[*(naming.functional_role(role) for role in FunctionalRole), naming.auditor_role()],
        users=sorted(methods),
        program_roles=[
            *(role.value for role in SystemRole if role is not SystemRole.ACCOUNTADMIN),
            naming.functional_role(OWNER_ROLE),
        ],
        declared_methods=methods,
        max_key_age_days=config.security.credentials.max_key_age_days,
        decisions=GateObjects(naming, OPS_SCHEMA).ops(DECISIONS) if config.quality_gate else None,
    )


@dataclass(frozen=True)
class Secured:
    """What the security components build on, declared before them: the platform hands it over."""

    database: snowflake.Database
    knowledge_tables: Mapping[str, snowflake.Table]
    users: Mapping[str, snowflake.ServiceUser]
    role_grants: Mapping[str, pulumi.Resource]
    # The semantic layer's grant of SNOWFLAKE.GOVERNANCE_VIEWER to the owner, which the audit views need too.
    governance_viewer: pulumi.Resource
    gate: QualityGate | None


@dataclass(frozen=True)
class Security:
    """The three security components of one stack."""

    row_access: RowAccess
    audit: AuditTrail
    credentials: ServiceCredentials


def declare_security(
    parent: pulumi.Resource, name: str, context: PlatformContext, config: StackConfig, secured: Secured
) -> Security:
    """RowAccess, AuditTrail and ServiceCredentials as `parent`'s children, after what they build on."""
    child = pulumi.ResourceOptions(parent=parent)
    row_access = RowAccess(
        f"{name}-row-access",
        context,
        RowAccessArgs(config.security.row_access, config.catalog, secured.knowledge_tables),
        opts=child,
    )
    audit = AuditTrail(
        f"{name}-audit",
        context,
        AuditArgs(
            scope=audit_scope(config, context.naming),
            catalog=config.catalog,
            database=secured.database,
            reads=list(secured.gate.tables.values()) if secured.gate else [],
            held={SnowflakeDatabaseRole.GOVERNANCE_VIEWER: secured.governance_viewer},
        ),
        opts=child,
    )
    credentials = ServiceCredentials(
        f"{name}-credentials",
        context,
        CredentialsArgs(
            users=secured.users,
            user_configs=config.service_users,
            role_grants=secured.role_grants,
            security=config.security,
            alerts=_alert_target(context, config, secured.gate, audit),
        ),
        opts=child,
    )
    return Security(row_access, audit, credentials)


def _alert_target(
    context: PlatformContext, config: StackConfig, gate: QualityGate | None, audit: AuditTrail
) -> AlertTarget | None:
    """The gate's notification integration and alert warehouse; without the gate there is none to send by."""
    if gate is None or config.quality_gate is None:
        return None
    naming, alerts = context.naming, config.quality_gate.alerts
    credentials = config.security.credentials
    return AlertTarget(
        integration=gate.integration,
        warehouse=context.warehouses[alerts.warehouse],
        waits=[
            gate.account_privileges,
            gate.alert_viewer,  # the alerts call SNOWFLAKE.ALERT.* (ALERT_VIEWER)
            context.owner.warehouse_usage[alerts.warehouse],
        ],
        specs=credential_alerts(
            naming,
            naming.alert_integration(),
            alerts.notify.kind,
            credentials.expiry_warning_days,
            credentials.login_lookback_hours,
        ),
        reads=list(audit.views.values()),
    )
