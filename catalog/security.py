"""The SQL of row access, the audit trail and credential alerts, rendered from sql/security/ by name."""

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.quality_gate.alerts import AlertSpec
from catalog.sql_files import SqlLiteral, render_sql
from catalog.table_spec import ColumnSpec, SnowflakeType, TableSpec
from catalog.tables import FoundationalCatalog
from models.enums import AlertChannel
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA, Naming
from models.security import AccountUsageView, AuthenticationMethod

MAPPING_TABLE = "ROW_ACCESS_MAP"
EVENT_TABLE = "SOPHIA_EVENTS"
POLICY_ARGUMENT = "VAL"

GATE_DECISIONS = "AUDIT_GATE_DECISIONS"
# Each audit view, the Account Usage views it reads (for the viewer roles its owner needs) and its file.
AUDIT_VIEWS: dict[str, tuple[tuple[AccountUsageView, ...], str]] = {
    "AUDIT_PII_READS": ((AccountUsageView.ACCESS_HISTORY,), "security/audit/pii_reads.sql"),
    "AUDIT_LOGINS": ((AccountUsageView.LOGIN_HISTORY,), "security/audit/logins.sql"),
    "AUDIT_QUERIES": ((AccountUsageView.QUERY_HISTORY,), "security/audit/queries.sql"),
    "AUDIT_GRANTS": (
        (AccountUsageView.GRANTS_TO_ROLES, AccountUsageView.GRANTS_TO_USERS),
        "security/audit/grants.sql",
    ),
    "AUDIT_CREDENTIALS": ((AccountUsageView.CREDENTIALS,), "security/audit/credentials.sql"),
    # Only with the quality gate, whose decisions table it reads live.
    GATE_DECISIONS: ((), "security/audit/gate_decisions.sql"),
}
CREDENTIALS_EXPIRING = "CREDENTIALS_EXPIRING"
UNDECLARED_LOGINS = "UNDECLARED_LOGINS"
CREDENTIAL_ALERTS = (CREDENTIALS_EXPIRING, UNDECLARED_LOGINS)


# Which role sees which values of each row access policy's column: data the owner role maintains, not a
# redeploy. ALLOWED_VALUE '*' lets the role see every row of that policy.
MAPPING_SPEC = TableSpec(
    name=MAPPING_TABLE,
    comment="Row access: which roles see which values",
    columns=[
        ColumnSpec(name=name, type=SnowflakeType.VARCHAR, comment=comment, nullable=False)
        for name, comment in (
            ("POLICY_NAME", "The row access policy the row belongs to"),
            ("ROLE_NAME", "An account role; a session holding it, active or inherited, qualifies"),
            ("ALLOWED_VALUE", "A value of the protected column the role sees, or * for all"),
        )
    ],
    primary_key=["POLICY_NAME", "ROLE_NAME", "ALLOWED_VALUE"],
)


def row_access_body(mapping: str, policy: str, see_all_roles: Sequence[str]) -> str:
    """The policy's predicate on VAL: any see-all role in the session, or a mapping row for a session role.

    IS_ROLE_IN_SESSION honours secondary roles and the role hierarchy and takes a STRING column, plain or
    table-qualified, of a mapping table (IS_ROLE_IN_SESSION docs, column syntax); the mapping is read with
    the policy owner's rights, so readers need no grant on it. The files hold no comments: pulumi-snowflake
    folds a body's whitespace to single spaces (row_access_policy.py, `body`), which would turn a `--`
    comment into one swallowing the rest.
    """
    parts = [render_sql("security/row_access/sees_all.sql", role=role) for role in see_all_roles]
    parts.append(render_sql("security/row_access/mapped.sql", mapping=mapping, policy=policy))
    return "\nOR ".join(parts)


@dataclass(frozen=True)
class Statements:
    """An Execute's statement, its revert and the query refresh runs."""

    create: str
    drop: str
    show: str


def attachment(naming: Naming, table: str, policy: str, column: str) -> Statements:
    """ALTER TABLE ... ADD / DROP ROW ACCESS POLICY for one knowledge table."""
    qualified = naming.in_database_unquoted(KNOWLEDGE_SCHEMA, table)
    policy_name = naming.in_database_unquoted(OPS_SCHEMA, policy)
    return Statements(
        render_sql("security/row_access/attach.sql", table=qualified, policy=policy_name, column=column),
        render_sql("security/row_access/detach.sql", table=qualified, policy=policy_name),
        render_sql(
            "security/row_access/show_attachment.sql",
            information_schema=naming.in_database_unquoted("INFORMATION_SCHEMA"),
            table_name=SqlLiteral(qualified),
        ),
    )


def event_table(naming: Naming) -> tuple[Statements, Statements]:
    """The event table in SOPHIA_OPS, and the database's EVENT_TABLE parameter pointing at it."""
    qualified = naming.in_database_unquoted(OPS_SCHEMA, EVENT_TABLE)
    database = naming.database
    table = Statements(
        render_sql("security/events/create_event_table.sql", event_table=qualified),
        render_sql("security/events/drop_event_table.sql", event_table=qualified),
        render_sql(
            "security/events/show_event_table.sql",
            name=EVENT_TABLE,
            schema=naming.in_database_unquoted(OPS_SCHEMA),
        ),
    )
    parameter = Statements(
        render_sql("security/events/set_database_event_table.sql", database=database, event_table=qualified),
        render_sql("security/events/unset_database_event_table.sql", database=database),
        render_sql("security/events/show_database_event_table.sql", database=database),
    )
    return table, parameter


@dataclass(frozen=True)
class AuditScope:
    """What the audit views are limited to: the stack's database, roles and users, and who grants for it."""

    database: str
    roles: Sequence[str]
    users: Sequence[str]
    program_roles: Sequence[str]
    declared_methods: dict[str, Sequence[AuthenticationMethod]]
    max_key_age_days: int
    # The gate's decisions table, DB.SOPHIA_OPS.<name>, when the stack declares the gate.
    decisions: str | None = None


def pii_columns(catalog: FoundationalCatalog, naming: Naming) -> list[SqlLiteral]:
    """`DB.SCHEMA.TABLE.COLUMN` of every column the catalog marks as personal data."""
    return [
        SqlLiteral(naming.in_database_unquoted(KNOWLEDGE_SCHEMA, table.name, column.name))
        for table in catalog.tables
        for column in table.columns
        if column.pii_level.value != "none"
    ]


def audit_view_statements(scope: AuditScope, pii: Sequence[SqlLiteral]) -> dict[str, str]:
    """Each audit view's SELECT, limited to the scope."""
    declared = [
        SqlLiteral(f"{user}.{method.login_factor}")
        for user, methods in scope.declared_methods.items()
        for method in methods
    ]
    values = {
        "database": scope.database,
        "roles": tuple(scope.roles),
        "users": tuple(scope.users),
        "program_roles": tuple(scope.program_roles),
        "declared_methods": tuple(declared),
        "max_key_age_days": scope.max_key_age_days,
        "pii_columns": tuple(pii),
        "decisions": scope.decisions,
    }
    return {
        name: render_sql(path, **values)
        for name, (_, path) in AUDIT_VIEWS.items()
        if name != GATE_DECISIONS or scope.decisions
    }


def credential_alerts(
    naming: Naming, integration: str, channel: AlertChannel, warning_days: int, lookback_hours: int
) -> list[AlertSpec]:
    """Keys or tokens about to expire, and sign-ins by a method the stack did not declare."""
    notify = (
        "quality_gate/alerts/notify_webhook.sql" if channel.is_webhook else "quality_gate/alerts/notify.sql"
    )
    conditions = {
        CREDENTIALS_EXPIRING: render_sql(
            "security/alerts/credentials_expiring.sql",
            credentials=naming.in_database_unquoted(OPS_SCHEMA, "AUDIT_CREDENTIALS"),
            warning_days=warning_days,
        ),
        UNDECLARED_LOGINS: render_sql(
            "security/alerts/undeclared_logins.sql",
            logins=naming.in_database_unquoted(OPS_SCHEMA, "AUDIT_LOGINS"),
            lookback_hours=lookback_hours,
        ),
    }
    return [
        AlertSpec(name, condition, render_sql(notify, alert=name, integration=integration))
        for name, condition in conditions.items()
    ]
