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
    """READ sees data; WRITE also changes it and creates objects. WRITE includes READ."""

    READ = "READ"
    WRITE = "WRITE"


@dataclass(frozen=True)
class LevelPrivileges:
    """What one access level is granted on a schema and on all and future objects in it."""

    schema: tuple[str, ...]
    tables: tuple[str, ...]
    views: tuple[str, ...]


PRIVILEGES = {
    AccessLevel.READ: LevelPrivileges(schema=("USAGE",), tables=("SELECT",), views=("SELECT",)),
    # Airbyte creates its tables, stages and CSV file format in every schema it writes (RAW and its
    # internal schema; destination-snowflake SnowflakeDirectLoadSqlGenerator); ADMIN builds views and
    # ML output everywhere.
    AccessLevel.WRITE: LevelPrivileges(
        schema=("CREATE TABLE", "CREATE VIEW", "CREATE STAGE", "CREATE FILE FORMAT"),
        tables=("INSERT", "UPDATE", "DELETE", "TRUNCATE"),
        views=(),
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
    # what WRITE grants, in the schemas it lands in and in its internal schema, which already exists.
    FunctionalRole.ETL: {SchemaKind.RAW: AccessLevel.WRITE, SchemaKind.AIRBYTE_INTERNAL: AccessLevel.WRITE},
    FunctionalRole.ADMIN: dict.fromkeys(SchemaKind, AccessLevel.WRITE),
    # No access role: the receiver's role only runs the gate tasks (GATE_OPERATOR_PRIVILEGES, below).
    FunctionalRole.HOOKS: {},
}

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


# The role the promotion receiver signs in as, and all it holds. EXECUTE TASK needs OWNERSHIP or OPERATE on
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
