"""One record per kind of object an inventory holds: the SHOW command, its documented columns and its key."""

from dataclasses import dataclass
from enum import StrEnum

SHOW_DOCS = "https://docs.snowflake.com/en/sql-reference/sql/"


class Scope(StrEnum):
    """What one SHOW runs over: the account, the stack's database, each role, each schema."""

    ACCOUNT = "account"
    DATABASE = "database"
    ROLE = "role"
    DATABASE_ROLE = "database_role"
    SCHEMA = "schema"


@dataclass(frozen=True)
class InventoryKind:
    """A kind: the SHOW that lists it, where it runs, its key columns and the columns Snowflake documents."""

    name: str
    show: str
    scope: Scope
    key: tuple[str, ...]
    documented: tuple[str, ...]
    doc_page: str
    sql: str  # the file under sql/ that holds the statement `sophia inventory` runs

    @property
    def doc_url(self) -> str:
        """The Snowflake page that documents the command's output columns."""
        return SHOW_DOCS + self.doc_page


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


_SCHEMA_OBJECT = _columns("created_on name database_name schema_name owner comment owner_role_type")
_GRANT = _columns("created_on privilege granted_on name granted_to grantee_name grant_option")

# Columns as each command's page documents them (the "Output" section); only the key columns are required
# in a row, the others are read when present. An inventory names every kind, an empty list for none.
KINDS: tuple[InventoryKind, ...] = (
    InventoryKind(
        "warehouses",
        "SHOW WAREHOUSES",
        Scope.ACCOUNT,
        ("name",),
        _columns(
            "name state type size min_cluster_count max_cluster_count auto_suspend auto_resume created_on owner comment resource_monitor scaling_policy owner_role_type"
        ),
        "show-warehouses",
        "inventory/warehouses.sql",
    ),
    InventoryKind(
        "resource_monitors",
        "SHOW RESOURCE MONITORS",
        Scope.ACCOUNT,
        ("name",),
        _columns(
            "name credit_quota used_credits remaining_credits level frequency start_time end_time notify_at suspend_at suspend_immediately_at created_on owner comment"
        ),
        "show-resource-monitors",
        "inventory/resource_monitors.sql",
    ),
    InventoryKind(
        "databases",
        "SHOW DATABASES",
        Scope.ACCOUNT,
        ("name",),
        _columns(
            "created_on name is_default is_current origin owner comment options retention_time kind owner_role_type"
        ),
        "show-databases",
        "inventory/databases.sql",
    ),
    InventoryKind(
        "schemas",
        "SHOW SCHEMAS IN DATABASE {database}",
        Scope.DATABASE,
        ("name",),
        _columns(
            "created_on name is_default is_current database_name owner comment options retention_time owner_role_type"
        ),
        "show-schemas",
        "inventory/schemas.sql",
    ),
    InventoryKind(
        "roles",
        "SHOW ROLES",
        Scope.ACCOUNT,
        ("name",),
        _columns(
            "created_on name is_default is_current is_inherited assigned_to_users granted_to_roles granted_roles owner comment"
        ),
        "show-roles",
        "inventory/roles.sql",
    ),
    InventoryKind(
        "database_roles",
        "SHOW DATABASE ROLES IN DATABASE {database}",
        Scope.DATABASE,
        ("name",),
        _columns(
            "created_on name is_default is_current is_inherited granted_to_roles granted_to_database_roles granted_database_roles owner comment owner_role_type"
        ),
        "show-database-roles",
        "inventory/database_roles.sql",
    ),
    InventoryKind(
        "users",
        "SHOW USERS",
        Scope.ACCOUNT,
        ("name",),
        _columns(
            "name created_on login_name display_name comment disabled default_warehouse default_namespace default_role default_secondary_roles owner has_password has_rsa_public_key type"
        ),
        "show-users",
        "inventory/users.sql",
    ),
    InventoryKind(
        "network_policies",
        "SHOW NETWORK POLICIES",
        Scope.ACCOUNT,
        ("name",),
        _columns(
            "created_on name comment entries_in_allowed_ip_list entries_in_blocked_ip_list entries_in_allowed_network_rules entries_in_blocked_network_rules"
        ),
        "show-network-policies",
        "inventory/network_policies.sql",
    ),
    InventoryKind(
        "tables",
        "SHOW TABLES IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("kind cluster_by rows bytes retention_time change_tracking")),
        "show-tables",
        "inventory/tables.sql",
    ),
    InventoryKind(
        "columns",
        "SHOW COLUMNS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "table_name", "column_name"),
        _columns(
            "table_name schema_name column_name data_type null? default kind expression comment database_name autoincrement"
        ),
        "show-columns",
        "inventory/columns.sql",
    ),
    InventoryKind(
        "views",
        "SHOW VIEWS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("reserved text is_secure is_materialized change_tracking")),
        "show-views",
        "inventory/views.sql",
    ),
    InventoryKind(
        "streams",
        "SHOW STREAMS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("table_name source_type base_tables type stale mode")),
        "show-streams",
        "inventory/streams.sql",
    ),
    InventoryKind(
        "tasks",
        "SHOW TASKS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (
            *_SCHEMA_OBJECT,
            *_columns(
                "id warehouse schedule predecessors state definition condition allow_overlapping_execution"
            ),
        ),
        "show-tasks",
        "inventory/tasks.sql",
    ),
    InventoryKind(
        "tags",
        "SHOW TAGS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("allowed_values")),
        "show-tags",
        "inventory/tags.sql",
    ),
    InventoryKind(
        "masking_policies",
        "SHOW MASKING POLICIES IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("kind options")),
        "show-masking-policies",
        "inventory/masking_policies.sql",
    ),
    InventoryKind(
        "procedures",
        "SHOW PROCEDURES IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        _columns(
            "created_on name schema_name is_builtin is_aggregate is_ansi min_num_arguments max_num_arguments arguments description catalog_name is_table_function valid_for_clustering is_secure"
        ),
        "show-procedures",
        "inventory/procedures.sql",
    ),
    InventoryKind(
        "alerts",
        "SHOW ALERTS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("warehouse schedule state condition action")),
        "show-alerts",
        "inventory/alerts.sql",
    ),
    InventoryKind(
        "secrets",
        "SHOW SECRETS IN DATABASE {database}",
        Scope.DATABASE,
        ("schema_name", "name"),
        (*_SCHEMA_OBJECT, *_columns("secret_type oauth_scopes")),
        "show-secrets",
        "inventory/secrets.sql",
    ),
    InventoryKind(
        "grants_to_roles",
        "SHOW GRANTS TO ROLE {role}",
        Scope.ROLE,
        ("grantee_name", "granted_on", "name", "privilege"),
        (*_GRANT, *_columns("granted_by")),
        "show-grants",
        "inventory/grants_to_roles.sql",
    ),
    InventoryKind(
        "grants_to_database_roles",
        "SHOW GRANTS TO DATABASE ROLE {database_role}",
        Scope.DATABASE_ROLE,
        ("grantee_name", "granted_on", "name", "privilege"),
        (*_GRANT, *_columns("granted_by")),
        "show-grants",
        "inventory/grants_to_database_roles.sql",
    ),
    InventoryKind(
        "grants_of_roles",
        "SHOW GRANTS OF ROLE {role}",
        Scope.ROLE,
        ("role", "granted_to", "grantee_name"),
        _columns("created_on role granted_to grantee_name granted_by"),
        "show-grants",
        "inventory/grants_of_roles.sql",
    ),
    InventoryKind(
        "future_grants",
        "SHOW FUTURE GRANTS IN SCHEMA {schema}",
        Scope.SCHEMA,
        ("grantee_name", "grant_on", "name", "privilege"),
        _columns("created_on privilege grant_on name grant_to grantee_name grant_option"),
        "show-grants",
        "inventory/future_grants.sql",
    ),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
