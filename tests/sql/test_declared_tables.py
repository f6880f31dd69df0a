"""Every table the stack plans is a declaration whose rendered DDL, read back by sqlglot, is the planned Table."""

from collections.abc import Iterator
from typing import Any

import pytest
import sqlglot
from fakesnow.instance import FakeSnow
from snowflake.connector import DictCursor
from sqlglot import exp

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.quality_gate.tables import GATE_TABLES
from catalog.security import MAPPING_SPEC, MAPPING_TABLE
from catalog.table_spec import SnowflakeType, TableSpec
from models.naming import OPS_SCHEMA
from tests.harness import Plan

TABLE = "snowflake:index/table:Table"
CONSTRAINT = "snowflake:index/tableConstraint:TableConstraint"
KNOWLEDGE = [spec for table in FOUNDATIONAL_CATALOG.tables for spec in (table, table.embeddings_table())]
OPERATIONS: list[TableSpec] = [*GATE_TABLES.values(), MAPPING_SPEC]
DECLARED = {spec.name: spec for spec in [*KNOWLEDGE, *OPERATIONS]}
# RowAccess declares no TableConstraint for the map, so its key lives in the DDL only; Snowflake enforces no
# primary key anyway, only NOT NULL (Snowflake docs, "Overview of constraints").
KEY_NOT_PLANNED = {MAPPING_TABLE}
# How fakesnow describes the types the operations tables use; ARRAY and OBJECT are emulated as VARIANT.
DESCRIBED = {
    SnowflakeType.VARCHAR: "VARCHAR(16777216)",
    SnowflakeType.NUMBER: "NUMBER(38,0)",
    SnowflakeType.BOOLEAN: "BOOLEAN",
    SnowflakeType.TIMESTAMP_TZ: "TIMESTAMP_TZ(9)",
    SnowflakeType.ARRAY: "VARIANT",
    SnowflakeType.OBJECT: "VARIANT",
}


def _read_back(statement: str) -> dict[str, Any]:
    """The CREATE TABLE as Snowflake's grammar reads it: an independent check of what the renderer wrote."""
    create = sqlglot.parse_one(statement, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    assert isinstance(create, exp.Create) and isinstance(create.this, exp.Schema)
    columns, key = [], []
    for item in create.this.expressions:
        if isinstance(item, exp.PrimaryKey):
            key = [part.name for part in item.expressions]
        else:
            kinds = [constraint.kind for constraint in item.constraints]
            comments = [kind.this.name for kind in kinds if isinstance(kind, exp.CommentColumnConstraint)]
            not_null = any(isinstance(kind, exp.NotNullColumnConstraint) for kind in kinds)
            columns.append((item.name, item.kind, not not_null, comments))
    (comment,) = [p.this.name for p in create.args["properties"].expressions]
    return {"name": create.this.this.name, "comment": comment, "columns": columns, "key": key}


def _planned_keys(plan: Plan) -> dict[str, list[str]]:
    return {
        c.inputs["table_id"].split(".")[-1].strip('"'): c.inputs["columns"] for c in plan.of_type(CONSTRAINT)
    }


def test_every_declared_table_is_planned_and_every_planned_table_declared(any_plan: Plan) -> None:
    assert sorted(table.inputs["name"] for table in any_plan.of_type(TABLE)) == sorted(DECLARED)


def test_the_ddl_the_sql_tests_run_is_the_planned_table_column_for_column(any_plan: Plan) -> None:
    keys = _planned_keys(any_plan)
    for table in any_plan.of_type(TABLE):
        inputs = table.inputs
        ddl = _read_back(DECLARED[inputs["name"]].create_table_sql(inputs["schema"]))
        assert (ddl["name"], ddl["comment"]) == (inputs["name"], inputs["comment"])
        assert ddl["columns"] == [
            (c["name"], exp.DataType.build(c["type"], dialect="snowflake"), c["nullable"], [c["comment"]])
            for c in inputs["columns"]
        ]
        if inputs["name"] in KEY_NOT_PLANNED:
            assert inputs["name"] not in keys and ddl["key"] == MAPPING_SPEC.primary_key
        else:
            assert ddl["key"] == keys.get(inputs["name"], [])


@pytest.fixture(scope="module")
def operations() -> Iterator[Any]:
    """The operations tables built on the emulator from their declarations, as the gate and row tests do."""
    instance = FakeSnow()
    connection = instance.connect(database="SOPHIA_TEST", schema=OPS_SCHEMA)
    cursor = connection.cursor(DictCursor)
    cursor.execute(f"CREATE SCHEMA IF NOT EXISTS SOPHIA_TEST.{OPS_SCHEMA}")
    for spec in OPERATIONS:
        cursor.execute(spec.create_table_sql(f"SOPHIA_TEST.{OPS_SCHEMA}"))
    yield cursor
    instance.duck_conn.close()


@pytest.mark.parametrize("spec", OPERATIONS, ids=lambda spec: spec.name)
def test_the_emulator_builds_each_operations_table_as_declared(operations: Any, spec: TableSpec) -> None:
    operations.execute(f"DESCRIBE TABLE SOPHIA_TEST.{OPS_SCHEMA}.{spec.name}")
    assert [(row["name"], row["type"], row["null?"]) for row in operations.fetchall()] == [
        (column.name, DESCRIBED[column.type], "Y" if column.nullable else "N") for column in spec.columns
    ]
    operations.execute(
        "SELECT COMMENT FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = %(schema)s AND TABLE_NAME = %(name)s",
        {"schema": OPS_SCHEMA, "name": spec.name},
    )
    assert operations.fetchall() == [{"COMMENT": spec.comment}]
