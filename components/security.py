"""Row access, the audit trail and service credentials of one stack, declared from its config in one place."""

import pulumi

from catalog.quality_gate.objects import DECISIONS, GateObjects
from catalog.security import AuditScope, credential_alerts
from components.audit import AuditArgs, AuditTrail
from components.credentials import AlertTarget, CredentialsArgs, ServiceCredentials
from components.providers import SystemRole
from components.row_access import RowAccess, RowAccessArgs
from components.semantic import GOVERNANCE_VIEWER_ROLE as GOVERNANCE_VIEWER
from models.access_matrix import OWNER_ROLE
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


def declare_security(
    platform: pulumi.ComponentResource, name: str, config: StackConfig, naming: Naming
) -> None:
    """RowAccess, AuditTrail and ServiceCredentials as the platform's children, after what they build on."""
    child = pulumi.ResourceOptions(parent=platform)
    ops_schema = platform.database.schemas[OPS_SCHEMA]
    platform.row_access = RowAccess(
        f"{name}-row-access",
        RowAccessArgs(
            restrictions=config.security.row_access,
            catalog=config.catalog,
            naming=naming,
            tables=platform.knowledge.tables,
            ops_schema=ops_schema,
            owner=platform.owner,
            tags=platform.governance.tags,
            protect=config.protect_stateful,
        ),
        opts=child,
    )
    platform.audit = AuditTrail(
        f"{name}-audit",
        AuditArgs(
            scope=audit_scope(config, naming),
            catalog=config.catalog,
            naming=naming,
            database=platform.database.database,
            ops_schema=ops_schema,
            warehouses=platform.warehouses.by_purpose,
            owner=platform.owner,
            providers=platform.providers,
            tags=platform.governance.tags,
            reads=list(platform.quality.tables.values()) if config.quality_gate else [],
            held={GOVERNANCE_VIEWER: platform.semantic.governance_viewer},
        ),
        opts=child,
    )
    platform.credentials = ServiceCredentials(
        f"{name}-credentials",
        CredentialsArgs(
            users=platform.service_users.users,
            user_configs=config.service_users,
            role_grants=platform.service_users.role_grants,
            security=config.security,
            naming=naming,
            ops_schema=ops_schema,
            owner=platform.owner,
            providers=platform.providers,
            alerts=_alert_target(platform, config, naming),
        ),
        opts=child,
    )


def _alert_target(
    platform: pulumi.ComponentResource, config: StackConfig, naming: Naming
) -> AlertTarget | None:
    """The gate's notification integration and alert warehouse; without the gate there is none to send by."""
    gate = config.quality_gate
    if gate is None:
        return None
    credentials = config.security.credentials
    quality = platform.quality
    return AlertTarget(
        integration=quality.integration,
        warehouse=platform.warehouses.by_purpose[gate.alerts.warehouse],
        waits=[
            quality.account_privileges,
            quality.alert_viewer,  # the alerts call SNOWFLAKE.ALERT.* (ALERT_VIEWER)
            platform.owner.warehouse_usage[gate.alerts.warehouse],
        ],
        specs=credential_alerts(
            naming,
            naming.alert_integration(),
            gate.alerts.notify.kind,
            credentials.expiry_warning_days,
            credentials.login_lookback_hours,
        ),
        reads=list(platform.audit.views.values()),
    )
