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
    # Airbyte creates its tables and stages in RAW; ADMIN builds views and ML output everywhere.
    AccessLevel.WRITE: LevelPrivileges(
        schema=("CREATE TABLE", "CREATE VIEW", "CREATE STAGE"),
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
    FunctionalRole.ETL: {SchemaKind.RAW: AccessLevel.WRITE},
    FunctionalRole.ADMIN: dict.fromkeys(SchemaKind, AccessLevel.WRITE),
}

WAREHOUSE_USAGE: dict[FunctionalRole, frozenset[WarehousePurpose]] = {
    FunctionalRole.APP: frozenset({WarehousePurpose.ANALYTICS, WarehousePurpose.REALTIME}),
    FunctionalRole.ETL: frozenset({WarehousePurpose.ETL}),
    FunctionalRole.ADMIN: frozenset(WarehousePurpose),
}

# The default warehouse each functional role's service users start in.
DEFAULT_WAREHOUSE: dict[FunctionalRole, WarehousePurpose] = {
    FunctionalRole.APP: WarehousePurpose.REALTIME,
    FunctionalRole.ETL: WarehousePurpose.ETL,
    FunctionalRole.ADMIN: WarehousePurpose.ML,
}

# The role that owns the database, its schemas, and later its tables and tasks.
OWNER_ROLE = FunctionalRole.ADMIN
