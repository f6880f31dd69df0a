"""The catalog's generated DDL runs on fakesnow and creates exactly the declared tables."""

import pytest

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.table_spec import SnowflakeType
from tests.sql.harness import SCHEMAS

# How fakesnow reports each declared type; ARRAY and OBJECT are emulated as VARIANT, and VECTOR is the
# DOUBLE[768] of the "vector-column" shim.
DESCRIBED = {
    SnowflakeType.VARCHAR: "VARCHAR(16777216)",
    SnowflakeType.NUMBER: "NUMBER(38,0)",
    SnowflakeType.DECIMAL: "NUMBER(18,2)",
    SnowflakeType.FLOAT: "FLOAT",
    SnowflakeType.BOOLEAN: "BOOLEAN",
    SnowflakeType.DATE: "DATE",
    SnowflakeType.TIMESTAMP_NTZ: "TIMESTAMP_NTZ(9)",
    SnowflakeType.VARIANT: "VARIANT",
    SnowflakeType.ARRAY: "VARIANT",
    SnowflakeType.OBJECT: "VARIANT",
    SnowflakeType.VECTOR_768: "DOUBLE[768]",
}
SPECS = [spec for table in FOUNDATIONAL_CATALOG.tables for spec in (table, table.embeddings_table())]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_table_has_the_declared_columns_types_and_nullability(shared_warehouse, spec):
    described = shared_warehouse.query(f"DESCRIBE TABLE {SCHEMAS.knowledge}.{spec.name}")
    assert [(row["name"], row["type"], row["null?"]) for row in described] == [
        (column.name, DESCRIBED[column.type], "Y" if column.nullable else "N") for column in spec.columns
    ]


def test_tables_carry_their_comments(shared_warehouse):
    comments = {
        row["TABLE_NAME"]: row["COMMENT"]
        for row in shared_warehouse.query(
            "SELECT TABLE_NAME, COMMENT FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = %(schema)s",
            {"schema": SCHEMAS.knowledge},
        )
    }
    assert {spec.name: spec.comment for spec in SPECS}.items() <= comments.items()


def test_a_vector_of_the_wrong_dimension_is_refused(knowledge):
    with pytest.raises(Exception, match="Expected array of size 768"):
        knowledge.execute(
            f"INSERT INTO {SCHEMAS.knowledge}.PRODUCTS_EMBEDDINGS "
            "SELECT 'P1', 'hash', [1.0, 2.0]::DOUBLE[], 'e5-base-v2', SYSDATE()"
        )
