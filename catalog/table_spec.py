"""A table as the stack declares it: columns, types, key and comments, and the DDL the emulator runs from it."""

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    ValidationError,
    model_validator,
)

from models.identifiers import IDENTIFIER_PATTERN, SnowflakeIdentifier
from models.validation import explain, listed_more_than_once

# A comment is written between single quotes: no quote or backslash to end or escape the literal (Snowflake
# string literals, escape sequences), no control character. The knowledge catalog, which is input, is held
# to the stricter SnowflakeComment.
LiteralText = Annotated[str, StringConstraints(pattern=r"^[^'\\\x00-\x1f]{1,256}$")]


class SnowflakeType(StrEnum):
    """Column types a table may declare, spelled as they appear in DDL and in pulumi-snowflake's Table."""

    VARCHAR = "VARCHAR"
    NUMBER = "NUMBER(38,0)"
    DECIMAL = "NUMBER(18,2)"
    FLOAT = "FLOAT"
    BOOLEAN = "BOOLEAN"
    DATE = "DATE"
    TIMESTAMP_NTZ = "TIMESTAMP_NTZ"
    TIMESTAMP_TZ = "TIMESTAMP_TZ"
    VARIANT = "VARIANT"
    ARRAY = "ARRAY"
    OBJECT = "OBJECT"
    VECTOR_768 = "VECTOR(FLOAT, 768)"

    @property
    def base_type(self) -> str:
        """The type without precision: what a masking policy signature names."""
        return self.value.split("(")[0]


class NamedSpec(BaseModel):
    """Strict, frozen, and prefixes every error with the kind and name of the object that failed."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _kind: ClassVar[str]

    name: SnowflakeIdentifier

    @model_validator(mode="wrap")
    @classmethod
    def _name_in_errors(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        try:
            return handler(data)
        except ValidationError as error:
            name = data.get("name") if isinstance(data, Mapping) else getattr(data, "name", None)
            raise ValueError(f"{cls._kind} {name}: {explain(error)}") from None

    def _fail(self, message: str) -> ValueError:
        """After-validators run outside the wrap above, so they name the object themselves."""
        return ValueError(f"{self._kind} {self.name}: {message}")


class ColumnSpec(NamedSpec):
    """One column: its type, nullability and documentation."""

    _kind: ClassVar[str] = "column"

    type: SnowflakeType
    comment: LiteralText
    nullable: bool = True

    def ddl(self) -> str:
        """The column as a CREATE TABLE line declares it."""
        return f"{self.name} {self.type.value}{'' if self.nullable else ' NOT NULL'} COMMENT '{self.comment}'"


class TableSpec(NamedSpec):
    """A table the stack declares: the one source of its snowflake.Table and of the DDL the SQL tests run."""

    _kind: ClassVar[str] = "table"

    comment: LiteralText
    columns: list[ColumnSpec] = Field(min_length=1)
    primary_key: list[SnowflakeIdentifier] = []

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if twice := listed_more_than_once("columns", self.column_names):
            raise self._fail(twice)
        self._require_columns("primary_key", self.primary_key)
        nullable_key = [name for name in self.primary_key if self.column(name).nullable]
        if nullable_key:
            raise self._fail(f"primary_key columns {nullable_key} must be declared nullable: false")
        return self

    @property
    def column_names(self) -> list[str]:
        """Declared column names, in order."""
        return [column.name for column in self.columns]

    def column(self, name: str) -> ColumnSpec:
        """One column by name."""
        self._require_columns("column", [name])
        return next(column for column in self.columns if column.name == name)

    def column_args(self) -> list[dict[str, Any]]:
        """The `columns` of pulumi-snowflake's Table (name, type, nullable, comment: table.py, TableColumnArgs)."""
        return [
            {"name": c.name, "type": c.type.value, "nullable": c.nullable, "comment": c.comment}
            for c in self.columns
        ]

    def create_table_sql(self, schema: str) -> str:
        """CREATE TABLE IF NOT EXISTS in `schema` (plain or `DB.SCHEMA`): what the SQL tests run on the emulator."""
        parts = schema.split(".")
        if len(parts) > 2 or not all(re.fullmatch(IDENTIFIER_PATTERN, part) for part in parts):
            raise ValueError(f"{schema!r} is not a plain or database-qualified upper-case schema name")
        lines = [column.ddl() for column in self.columns]
        if self.primary_key:
            lines.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        body = ",\n    ".join(lines)
        return f"CREATE TABLE IF NOT EXISTS {schema}.{self.name} (\n    {body}\n) COMMENT = '{self.comment}'"

    def _require_columns(self, field: str, names: Iterable[str]) -> None:
        unknown = [name for name in names if name not in self.column_names]
        if unknown:
            raise self._fail(f"{field} names {unknown}, which are not columns; columns: {self.column_names}")
