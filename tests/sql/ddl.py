"""CREATE TABLE from a catalog declaration: how the SQL tests build the tables the program declares."""

from pydantic import TypeAdapter

from catalog.tables import TableSpec
from models.identifiers import SnowflakeIdentifier

_IDENTIFIER = TypeAdapter(SnowflakeIdentifier)


def create_table_sql(spec: TableSpec, schema: str) -> str:
    """The declared columns, types, nullability, comments and primary key, as Snowflake DDL."""
    lines = [
        f"    {c.name} {c.type.value}{'' if c.nullable else ' NOT NULL'} COMMENT '{c.comment}'"
        for c in spec.columns
    ]
    lines.append(f"    PRIMARY KEY ({', '.join(spec.primary_key)})")
    body = ",\n".join(lines)
    table = f"{_IDENTIFIER.validate_python(schema)}.{spec.name}"
    return f"CREATE TABLE IF NOT EXISTS {table} (\n{body}\n) COMMENT = '{spec.comment}'"
