"""The inventory file: what an account holds in a stack's namespace, versioned and validated before use."""

import hashlib
from datetime import datetime
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel

from models.identifiers import SnowflakeIdentifier
from models.inventory_kinds import KIND_BY_NAME, KINDS

FORMAT_NAME = "sophia-inventory"
FORMAT_VERSION = 1

Cell = str | int | float | bool | None
Row = dict[Annotated[str, StringConstraints(min_length=1)], Cell]
Key = tuple[str, ...]
# Columns that name the database a row lives in, by kind: SHOW PROCEDURES calls it catalog_name.
DATABASE_COLUMNS = ("database_name", "catalog_name")


def account_fingerprint(organization_name: str, account_name: str) -> str:
    """Which account an inventory was taken in, without writing the account's identifier into the file."""
    return hashlib.sha256(f"{organization_name.upper()}-{account_name.upper()}".encode()).hexdigest()


def plain_name(value: Cell) -> str:
    """A name as SHOW or a provider writes it (`"DB"."S"`, `DB.S`), unquoted and upper-case, for comparing."""
    return str(value or "").replace('"', "").upper()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


class AirbyteInventory(_Strict):
    """The workspace's sources, destinations and connections, as the Airbyte API lists them (no secrets)."""

    workspace_id: str = Field(min_length=1)
    sources: list[Row]
    destinations: list[Row]
    connections: list[dict[str, object]]

    @model_validator(mode="after")
    def _named(self) -> "AirbyteInventory":
        for part, id_key in (("sources", "sourceId"), ("destinations", "destinationId")):
            for index, row in enumerate(getattr(self, part)):
                if not row.get("name") or not row.get(id_key):
                    raise ValueError(f"airbyte.{part}[{index}] needs 'name' and '{id_key}'")
        for index, row in enumerate(self.connections):
            if not row.get("name") or not row.get("connectionId"):
                raise ValueError(f"airbyte.connections[{index}] needs 'name' and 'connectionId'")
        return self


class Inventory(_Strict):
    """Version 1: every kind of KINDS as its SHOW rows, keyed by kind, and the Airbyte workspace or null."""

    format: Literal["sophia-inventory"]
    version: int
    taken_at: datetime
    account_fingerprint: str = Field(pattern=r"^[0-9a-f]{64}$")
    database: SnowflakeIdentifier
    name_prefix: SnowflakeIdentifier
    snowflake: dict[str, list[Row]]
    airbyte: AirbyteInventory | None

    @model_validator(mode="before")
    @classmethod
    def _version_first(cls, data: object) -> object:
        # A file of another version is refused for its version alone, not for the fields it lacks.
        if isinstance(data, dict) and data.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"version {data.get('version')!r} is not supported; this program reads version 1"
            )
        return data

    @model_validator(mode="after")
    def _every_kind_well_formed(self) -> "Inventory":
        missing = [kind.name for kind in KINDS if kind.name not in self.snowflake]
        unknown = sorted(set(self.snowflake) - set(KIND_BY_NAME))
        if missing or unknown:
            raise ValueError(
                f"snowflake must name every kind (an empty list for none): missing {missing}, "
                f"unknown {unknown}; kinds: {', '.join(KIND_BY_NAME)}"
            )
        for kind in KINDS:
            for index, row in enumerate(self.snowflake[kind.name]):
                where = f"snowflake.{kind.name}[{index}]"
                if absent := [column for column in kind.key if not isinstance(row.get(column), str)]:
                    raise ValueError(f"{where} lacks the key column(s) {absent} of `{kind.show}`")
                database = next((row[c] for c in DATABASE_COLUMNS if row.get(c) is not None), None)
                if database is not None and plain_name(database) != self.database:
                    raise ValueError(
                        f"{where} is in database {database!r}, outside the inventory's {self.database!r}"
                    )
        return self

    @cached_property
    def _indexes(self) -> dict[str, dict[Key, Row]]:
        return {
            kind.name: {self._key(kind.name, row): row for row in self.snowflake[kind.name]} for kind in KINDS
        }

    def _key(self, kind: str, row: Row) -> Key:
        key = {column: plain_name(row[column]) for column in KIND_BY_NAME[kind].key}
        grantee = key.get("grantee_name", "")
        to_database_role = kind == "grants_to_database_roles" or row.get("grant_to") == "DATABASE_ROLE"
        if to_database_role and "." not in grantee:
            # A database role is named within its database; qualify it whichever way SHOW spelled it.
            key["grantee_name"] = f"{self.database}.{grantee}"
        return tuple(key.values())

    def find(self, kind: str, key: Key) -> Row | None:
        """The row of `kind` whose key columns match `key` (compared unquoted and upper-case)."""
        return self._indexes[kind].get(tuple(plain_name(part) for part in key))

    def keys(self, kind: str) -> set[Key]:
        """Every key of `kind` the account holds."""
        return set(self._indexes[kind])
