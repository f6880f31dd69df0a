"""Who may do what, declared once as data: access levels per schema kind, warehouses per functional role.

Access roles are *database* roles, not account roles: they live inside the stack's database, so dev and
prod in one account never collide, they are cloned and replicated with it, and they cannot carry
account-level privileges. Warehouses are account objects, so their USAGE goes to functional roles directly.
"""

from dataclasses import dataclass
from enum import StrEnum

from models.enums import FunctionalRole, WarehousePurpose
from models.schema_layout import SchemaKind


class AccessLevel(StrEnum):
    """READ sees data; WRITE also changes it and creates objects, and includes READ; LOAD lands new tables."""

    READ = "READ"
    WRITE = "WRITE"
    LOAD = "LOAD"


@dataclass(frozen=True)
class LevelPrivileges:
    """What one access level is granted on the database, on a schema and on all and future objects in it."""

    schema: tuple[str, ...]
    tables: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    database: tuple[str, ...] = ()
    # The level whose access role this level's role is granted, so that it holds that level's privileges too.
    includes: "AccessLevel | None" = None


PRIVILEGES = {
    AccessLevel.READ: LevelPrivileges(
        database=("USAGE",), schema=("USAGE",), tables=("SELECT",), views=("SELECT",)
    ),
    # ADMIN builds tables, views, stages and ML output everywhere.
    AccessLevel.WRITE: LevelPrivileges(
        schema=("CREATE TABLE", "CREATE VIEW", "CREATE STAGE", "CREATE FILE FORMAT"),
        tables=("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
        includes=AccessLevel.READ,
    ),
    # What Airbyte's Snowflake destination runs in each schema it writes: CREATE [OR REPLACE] TABLE, CREATE OR
    # REPLACE FILE FORMAT and STAGE, then COPY, MERGE, SWAP WITH, ALTER and DROP on the tables and stages it
    # created and so owns (destination-snowflake SnowflakeDirectLoadSqlGenerator); it reads nothing else.
    AccessLevel.LOAD: LevelPrivileges(
        database=("USAGE",), schema=("USAGE", "CREATE TABLE", "CREATE STAGE", "CREATE FILE FORMAT")
    ),
}

ACCESS_MATRIX: dict[FunctionalRole, dict[SchemaKind, AccessLevel]] = {
    FunctionalRole.APP: {
        SchemaKind.SEMANTIC: AccessLevel.READ,
        SchemaKind.FOUNDATIONAL: AccessLevel.READ,
        SchemaKind.INSIGHTS: AccessLevel.READ,
        SchemaKind.CURATED: AccessLevel.READ,
    },
    # Airbyte's setup guide hands its role OWNERSHIP of the database and schema; the connector needs only
    # what LOAD grants, in the schemas it lands in and in its internal schema, which already exists.
    FunctionalRole.ETL: {SchemaKind.RAW: AccessLevel.LOAD, SchemaKind.AIRBYTE_INTERNAL: AccessLevel.LOAD},
    FunctionalRole.ADMIN: dict.fromkeys(SchemaKind, AccessLevel.WRITE),
    # No access role: the receiver's role only runs the gate tasks (GATE_OPERATOR_PRIVILEGES, below).
    FunctionalRole.HOOKS: {},
}


def access_levels(kind: SchemaKind) -> list[AccessLevel]:
    """The access roles a schema of this kind has: every level granted on it and every level those include."""
    levels = {by_kind[kind] for by_kind in ACCESS_MATRIX.values() if kind in by_kind}
    while included := {PRIVILEGES[level].includes for level in levels} - levels - {None}:
        levels |= included
    return [level for level in AccessLevel if level in levels]


WAREHOUSE_USAGE: dict[FunctionalRole, frozenset[WarehousePurpose]] = {
    FunctionalRole.APP: frozenset({WarehousePurpose.ANALYTICS, WarehousePurpose.REALTIME}),
    FunctionalRole.ETL: frozenset({WarehousePurpose.ETL}),
    FunctionalRole.ADMIN: frozenset(WarehousePurpose),
    # A task run started by EXECUTE TASK uses the task's own warehouse and its owner's privileges.
    FunctionalRole.HOOKS: frozenset(),
}

# The default warehouse each functional role's service users start in; none for a role that uses none.
DEFAULT_WAREHOUSE: dict[FunctionalRole, WarehousePurpose] = {
    FunctionalRole.APP: WarehousePurpose.REALTIME,
    FunctionalRole.ETL: WarehousePurpose.ETL,
    FunctionalRole.ADMIN: WarehousePurpose.ML,
}


@dataclass(frozen=True)
class TaskOperatorPrivileges:
    """What a role needs to start chosen tasks with EXECUTE TASK, on the tasks and on what holds them."""

    database: tuple[str, ...]
    schema: tuple[str, ...]
    task: tuple[str, ...]


# The role the webhook receiver signs in as, and all it holds. EXECUTE TASK needs OWNERSHIP or OPERATE on
# the task, and the run uses the task owner's privileges and warehouse (Snowflake SQL reference, EXECUTE
# TASK, usage notes); naming an object in a schema needs USAGE on its database and schema. No EXECUTE TASK
# on the account: that one the task's owner needs, not whoever starts it.
GATE_OPERATOR_ROLE = FunctionalRole.HOOKS
GATE_OPERATOR_PRIVILEGES = TaskOperatorPrivileges(database=("USAGE",), schema=("USAGE",), task=("OPERATE",))

# The role that creates, and so owns, every object inside the database: nothing is handed over by
# GRANT OWNERSHIP: a started task cannot change owner, deleting an ownership grant hands the object to
# the provider's own role (Terraform provider, grant_ownership_resource_overview.md), and CREATE OR
# REPLACE ... COPY GRANTS copies every privilege but OWNERSHIP.
OWNER_ROLE = FunctionalRole.ADMIN

# On the database SYSADMIN creates, what the owner needs to create schemas and access roles in it
# (CREATE SCHEMA and CREATE DATABASE ROLE, access control requirements).
OWNER_DATABASE_PRIVILEGES = ("USAGE", "CREATE SCHEMA", "CREATE DATABASE ROLE")

# On the account: tasks run only if their owner holds EXECUTE TASK (CREATE TASK), and ALTER TAG ... SET
# MASKING POLICY needs the global APPLY MASKING POLICY (ALTER TAG, access control requirements).
OWNER_ACCOUNT_PRIVILEGES = ("EXECUTE TASK", "APPLY MASKING POLICY")

# The warehouse the owner's provider connects with: pulumi-snowflake reads tag and policy references
# for Tag and View, which needs a warehouse in the connection (SDK docstrings of tag.py and view.py).
# REALTIME is the smallest workload, so the few metadata queries of a preview or refresh cost least.
OWNER_CONNECTION_WAREHOUSE = WarehousePurpose.REALTIME

# On the account, what the owner needs for the quality gate beyond EXECUTE TASK: EXECUTE ALERT to resume its
# alerts, CREATE INTEGRATION for their notification integration, and EXECUTE MANAGED TASK for tasks without
# a warehouse (CREATE ALERT, CREATE NOTIFICATION INTEGRATION, CREATE TASK: access control requirements).
OWNER_GATE_ACCOUNT_PRIVILEGES = ("EXECUTE ALERT", "CREATE INTEGRATION")
OWNER_SERVERLESS_TASK_PRIVILEGE = "EXECUTE MANAGED TASK"
# The PII tagging task sets tags on RAW tables Airbyte's role owns: SET TAG needs the global APPLY TAG, or
# APPLY on the tag and OWNERSHIP of the object (Snowflake, object tagging: "Tag privileges" / ALTER TABLE
# access control requirements); the owner owns the tags and the curated tables, not the RAW ones.
OWNER_TAGGING_ACCOUNT_PRIVILEGE = "APPLY TAG"

# On the account, what the owner needs to attach the service users' authentication policies (ALTER USER ...
# SET AUTHENTICATION POLICY: access control requirements of CREATE AUTHENTICATION POLICY).
OWNER_CREDENTIAL_ACCOUNT_PRIVILEGES = ("APPLY AUTHENTICATION POLICY",)

# The auditor reads the audit views (SOPHIA_OPS.AUDIT_*) and nothing else: SELECT on each, USAGE on the
# database, SOPHIA_OPS and one warehouse to run its queries on; it rolls up to SYSADMIN like every role.
AUDIT_VIEW_PREFIX = "AUDIT_"
AUDITOR_WAREHOUSE = WarehousePurpose.ANALYTICS
AUDITOR_CONTAINER_PRIVILEGES = ("USAGE",)

# The assistant's Cortex Search service in SOPHIA_SEMANTIC: the application role alone may query it.
SEARCH_SERVICE = "ENTITY_SEARCH_SERVICE"
SEARCH_SERVICE_READER = FunctionalRole.APP
SEARCH_SERVICE_PRIVILEGES = ("USAGE",)

# SYSADMIN owns the warehouses and so sets the metadata tag on them, with APPLY on that one tag.
WAREHOUSE_OWNER_TAG_PRIVILEGES = ("APPLY",)


class SnowflakeDatabaseRole(StrEnum):
    """Database roles of the shared SNOWFLAKE database the stack grants."""

    ALERT_VIEWER = "ALERT_VIEWER"
    CORTEX_USER = "CORTEX_USER"
    # The discovery view reads TAG_REFERENCES, the audit views the ACCOUNT_USAGE histories ("SNOWFLAKE
    # database roles": which role reads which view).
    GOVERNANCE_VIEWER = "GOVERNANCE_VIEWER"
    SECURITY_VIEWER = "SECURITY_VIEWER"

    @property
    def qualified(self) -> str:
        """`"SNOWFLAKE"."ALERT_VIEWER"`: how GrantDatabaseRole names a database role."""
        return f'"SNOWFLAKE"."{self.value}"'


# The owner holds the SNOWFLAKE database's roles its alerts and embedding tasks need, and no one else does
# (components/snowflake_database_roles.py grants them).
OWNER_SNOWFLAKE_DATABASE_ROLES = tuple(SnowflakeDatabaseRole)
