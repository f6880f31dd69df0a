"""A table's shape read from the CREATE TABLE in sql/: the one declaration both the stack and the tests use."""

# The gate's operations tables are declared in sql/quality/ddl/, which the SQL tests run on the emulator;
# the stack declares the same tables as snowflake.Table resources (so refresh sees drift, tags and the
# policy pack see tables, prod protects them) with the columns read from those statements.

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

# sqlglot reads Snowflake's spellings into its own types; written back as the DDL files spell them.
_TYPES = {
    "VARCHAR": "VARCHAR",
    "BOOLEAN": "BOOLEAN",
    "ARRAY": "ARRAY",
    "OBJECT": "OBJECT",
    "TIMESTAMPTZ": "TIMESTAMP_TZ",
    "DECIMAL(38, 0)": "NUMBER(38,0)",
}


@dataclass(frozen=True)
class ColumnShape:
    """One column as declared: name, type, nullability, comment."""

    name: str
    type: str
    nullable: bool
    comment: str


@dataclass(frozen=True)
class TableShape:
    """A table as its CREATE TABLE declares it."""

    name: str
    comment: str
    columns: tuple[ColumnShape, ...]
    primary_key: tuple[str, ...]


def table_shape(statement: str) -> TableShape:
    """Columns, key and comments of one CREATE TABLE; a type or clause this module does not know is refused."""
    create = sqlglot.parse_one(statement, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    if not isinstance(create, exp.Create) or not isinstance(create.this, exp.Schema):
        raise ValueError(f"not a CREATE TABLE with columns: {statement[:80]!r}")
    columns, key = [], ()
    for item in create.this.expressions:
        if isinstance(item, exp.PrimaryKey):
            key = tuple(part.name for part in item.expressions)
        elif isinstance(item, exp.ColumnDef):
            columns.append(_column(item))
        else:
            raise ValueError(f"unsupported clause in CREATE TABLE: {item.sql(dialect='snowflake')}")
    properties = create.args["properties"].expressions if create.args.get("properties") else []
    comments = [p.this.name for p in properties if isinstance(p, exp.SchemaCommentProperty)]
    return TableShape(create.this.this.name, comments[0] if comments else "", tuple(columns), key)


def _column(column: exp.ColumnDef) -> ColumnShape:
    written = column.kind.sql(dialect="snowflake") if column.kind else ""
    if written not in _TYPES:
        raise ValueError(f"column {column.name}: type {written!r} is not one of {sorted(_TYPES)}")
    kinds = [constraint.kind for constraint in column.constraints]
    comments = [kind.this.name for kind in kinds if isinstance(kind, exp.CommentColumnConstraint)]
    return ColumnShape(
        name=column.name,
        type=_TYPES[written],
        nullable=not any(isinstance(kind, exp.NotNullColumnConstraint) for kind in kinds),
        comment=comments[0] if comments else "",
    )
