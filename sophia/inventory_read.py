"""Reads what an account holds in a stack's namespace: each kind's SHOW, rows as the connector returns them."""

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx

from catalog.sql_files import render_sql
from models.identifiers import IDENTIFIER_PATTERN
from models.inventory import Row
from models.inventory_kinds import KINDS, InventoryKind, Scope

# One statement in, rows out as dicts keyed by the column names the cursor describes.
Execute = Callable[[str], list[dict[str, Any]]]
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# Roles whose grants on the stack's objects matter though the stack does not own the role.
GRANTEE_ROLES = ("PUBLIC", "SYSADMIN")
SYSTEM_SCHEMAS = {"INFORMATION_SCHEMA"}
ACCOUNT_NAMED = {"warehouses", "resource_monitors", "roles", "users", "network_policies"}


def cursor_execute(cursor: Any) -> Execute:
    """An Execute over a DB-API cursor of snowflake-connector-python (or fakesnow, which patches it)."""

    def execute(statement: str) -> list[dict[str, Any]]:
        cursor.execute(statement)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    return execute


def cell(value: Any) -> Any:
    """A SHOW cell as JSON: timestamps as ISO 8601, numbers as numbers, anything else as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def read_snowflake(execute: Execute, database: str, prefix: str) -> dict[str, list[Row]]:
    """Every kind's rows in the namespace: objects named with the prefix, the database and what is in it."""
    rows: dict[str, list[Row]] = {}
    for kind in (k for k in KINDS if k.scope is Scope.ACCOUNT):
        rows[kind.name] = [r for r in _show(execute, kind) if _in_namespace(kind, r, database, prefix)]
    has_database = any(r["name"] == database for r in rows["databases"])
    for kind in (k for k in KINDS if k.scope is Scope.DATABASE):
        found = _show(execute, kind, database=database) if has_database else []
        rows[kind.name] = [r for r in found if str(r.get("name", "")).upper() not in SYSTEM_SCHEMAS]
    roles = [r["name"] for r in rows["roles"]]
    database_roles = [f"{database}.{r['name']}" for r in rows["database_roles"]]
    schemas = [f"{database}.{r['name']}" for r in rows["schemas"]]
    scoped = {
        "grants_to_roles": [*roles, *GRANTEE_ROLES],
        "grants_of_roles": roles,
        "grants_to_database_roles": database_roles,
        "future_grants": schemas,
    }
    for kind in (k for k in KINDS if k.scope not in (Scope.ACCOUNT, Scope.DATABASE)):
        found = [
            row
            for name in _plain(scoped[kind.name])
            for row in _show(execute, kind, **{kind.scope.value: name})
        ]
        rows[kind.name] = [row for row in found if _about_namespace(kind, row, database, prefix)]
    return {kind.name: rows[kind.name] for kind in KINDS}


def _show(execute: Execute, kind: InventoryKind, **scope: str) -> list[Row]:
    return [
        {column: cell(value) for column, value in row.items()} for row in execute(_statement(kind, scope))
    ]


def _statement(kind: InventoryKind, scope: dict[str, str]) -> str:
    return render_sql(kind.sql, **scope)


def _plain(names: Iterable[str]) -> list[str]:
    """Only plain upper-case names are substituted into SQL; the stack never names anything otherwise."""
    return [name for name in names if all(_IDENTIFIER.fullmatch(part) for part in name.split("."))]


def _in_namespace(kind: InventoryKind, row: Row, database: str, prefix: str) -> bool:
    name = str(row.get("name", ""))
    if kind.name == "databases":
        return name == database
    return kind.name not in ACCOUNT_NAMED or name.startswith(f"{prefix}_")


def _about_namespace(kind: InventoryKind, row: Row, database: str, prefix: str) -> bool:
    """A grant to PUBLIC or SYSADMIN is kept only when it is on one of the stack's objects."""
    if kind.name != "grants_to_roles" or row.get("grantee_name") not in GRANTEE_ROLES:
        return True
    name = str(row.get("name", ""))
    return name == database or name.startswith((f"{database}.", f"{prefix}_"))


# Fields of Airbyte's list responses kept in the inventory: identities and sync settings, never a
# configuration, which can hold credentials (Airbyte API reference: SourceResponse, ConnectionResponse).
SOURCE_FIELDS = ("sourceId", "name", "sourceType", "workspaceId")
DESTINATION_FIELDS = ("destinationId", "name", "destinationType", "workspaceId")
CONNECTION_FIELDS = (
    "connectionId", "name", "sourceId", "destinationId", "workspaceId", "status", "namespaceDefinition",
    "namespaceFormat", "prefix", "schedule", "nonBreakingSchemaUpdatesBehavior",
)  # fmt: skip
STREAM_FIELDS = ("name", "syncMode", "cursorField", "primaryKey")


def read_airbyte(client: httpx.Client, workspace_id: str, page_size: int = 100) -> dict[str, Any]:
    """The workspace's sources, destinations and connections, page by page (GET /sources etc., `next`)."""
    listed = {}
    for collection in ("sources", "destinations", "connections"):
        items, offset = [], 0
        while True:
            query = {"workspaceIds": workspace_id, "limit": page_size, "offset": offset}
            response = client.get(f"/{collection}", params=query)
            response.raise_for_status()
            page = response.json()
            items += page.get("data", [])
            if not page.get("data") or not page.get("next"):
                break
            offset += page_size
        listed[collection] = items
    return {
        "workspaceId": workspace_id,
        "sources": [_pick(item, SOURCE_FIELDS) for item in listed["sources"]],
        "destinations": [_pick(item, DESTINATION_FIELDS) for item in listed["destinations"]],
        "connections": [_connection(item) for item in listed["connections"]],
    }


def _pick(item: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: item[field] for field in fields if field in item}


def _connection(item: dict[str, Any]) -> dict[str, Any]:
    streams = (item.get("configurations") or {}).get("streams") or []
    return {
        **_pick(item, CONNECTION_FIELDS),
        "configurations": {"streams": [_pick(s, STREAM_FIELDS) for s in streams]},
    }
