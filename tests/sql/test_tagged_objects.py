"""The discovery view lists every live tagged object of the stack's database with its metadata parsed."""

import json

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.semantic import tagged_objects_statement
from models.naming import METADATA_TAG, TAG_SCHEMA

DATABASE = "SOPHIA_TEST"
# SNOWFLAKE.ACCOUNT_USAGE.TAG_REFERENCES, the columns the view reads (Snowflake, TAG_REFERENCES view).
COLUMNS = (
    "TAG_DATABASE", "TAG_SCHEMA", "TAG_NAME", "TAG_VALUE", "OBJECT_DATABASE", "OBJECT_SCHEMA",
    "OBJECT_NAME", "OBJECT_DELETED", "DOMAIN", "COLUMN_NAME",
)  # fmt: skip


def _account_usage(duck, rows: list[tuple]) -> None:
    duck.execute("CREATE SCHEMA IF NOT EXISTS SNOWFLAKE.ACCOUNT_USAGE")
    kinds = ", ".join(f"{c} {'TIMESTAMP' if c == 'OBJECT_DELETED' else 'VARCHAR'}" for c in COLUMNS)
    duck.execute(f"CREATE OR REPLACE TABLE SNOWFLAKE.ACCOUNT_USAGE.TAG_REFERENCES ({kinds})")
    for row in rows:
        duck.execute(
            f"INSERT INTO SNOWFLAKE.ACCOUNT_USAGE.TAG_REFERENCES VALUES ({', '.join('?' * len(COLUMNS))})",
            row,
        )


def test_discovery_parses_the_metadata_of_live_objects_of_this_database_only(knowledge) -> None:
    customers = FOUNDATIONAL_CATALOG.table("CUSTOMERS")
    tag = (DATABASE, TAG_SCHEMA, METADATA_TAG)
    table_value, column_value = (
        customers.metadata_tag_value(),
        customers.column_metadata_tag_value("CUSTOMER_ID"),
    )
    # (tag value, object database, object name, deleted, domain, column), all in FOUNDATIONAL_KNOWLEDGE
    references = [
        (table_value, DATABASE, "CUSTOMERS", None, "TABLE", None),
        (column_value, DATABASE, "CUSTOMERS", None, "COLUMN", "CUSTOMER_ID"),
        (table_value, DATABASE, "OLD", "2024-01-01", "TABLE", None),
        (table_value, "OTHER_DB", "CUSTOMERS", None, "TABLE", None),
    ]
    other_tag = (DATABASE, TAG_SCHEMA, "PII_LEVEL", "high", DATABASE, "FOUNDATIONAL_KNOWLEDGE", "CUSTOMERS")
    _account_usage(
        knowledge._duck,
        [
            *(
                (*tag, value, db, "FOUNDATIONAL_KNOWLEDGE", name, deleted, domain, column)
                for value, db, name, deleted, domain, column in references
            ),
            (*other_tag, None, "COLUMN", "X"),
        ],
    )
    rows = knowledge.query(f"SELECT * FROM ({tagged_objects_statement(DATABASE)}) ORDER BY OBJECT_KIND DESC")
    assert [(r["OBJECT_KIND"], r["OBJECT_NAME"], r["COLUMN_NAME"]) for r in rows] == [
        ("TABLE", "CUSTOMERS", None),
        ("COLUMN", "CUSTOMERS", "CUSTOMER_ID"),
    ]
    table, column = rows
    assert (table["ENTITY_TYPE"], table["DATA_SOURCE"], table["PII_LEVEL"]) == (
        "customer",
        "hubspot",
        "sensitive",
    )
    declared = json.loads(customers.metadata_tag_value())
    assert (table["UPDATE_FREQUENCY"], table["VECTOR_INDEX"]) == ("hourly", declared["vector_index"])
    assert table["IS_PRIMARY_IDENTIFIER"] is False  # absent from a table's tag: read as false
    assert column["IS_PRIMARY_IDENTIFIER"] is True
