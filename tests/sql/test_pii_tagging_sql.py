"""The PII tagging task's lookups run on fakesnow; its SET TAG statements are checked as parsed SQL.

fakesnow answers every ALTER ... SET TAG with success and records nothing, so it cannot show a tag was set:
the lookups, which decide what a run tags, run here against real INFORMATION_SCHEMA views; the statements
they guard parse with sqlglot (the table's SET TAG) or, where sqlglot falls back to a bare Command (MODIFY
COLUMN ... SET TAG), match Snowflake's documented ALTER TABLE grammar.
"""

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import fakesnow
import pytest
import snowflake.connector
import sqlglot
from sqlglot import exp

from catalog.pii_tagging import TaggedStream, TaggingStep, tagging_steps, tagging_task_body
from models.naming import Naming
from models.tag_metadata import PiiLevel

NAMING = Naming("SOPHIA_AI_DEV", "SOPHIA_AI_DEV")
DB = NAMING.database


class Contacts:
    """A HubSpot contacts stream as the stack config declares it."""

    name = "contacts"
    entity_type = "contact"
    pii_columns: ClassVar[dict[str, PiiLevel]] = {
        "properties_email": PiiLevel.HIGH,
        "properties_phone": PiiLevel.HIGH,
    }


STREAM = TaggedStream.from_config("HUBSPOT", Contacts(), promoted=True)
# ALTER TABLE <name> MODIFY COLUMN <col> SET TAG <tag> = '<value>' (Snowflake, ALTER TABLE ... column actions).
COLUMN_SET_TAG = re.compile(
    r"ALTER TABLE (?P<table>\w+\.\w+\.\w+) MODIFY COLUMN (?P<column>\w+) SET TAG (?P<tag>\w+\.\w+\.\w+) = '(?P<value>\w+)'"
)


@pytest.fixture
def cursor() -> Iterator[Any]:
    with fakesnow.patch():
        connection = snowflake.connector.connect(database=DB, schema="PUBLIC")
        cursor = connection.cursor()
        for schema in ("HUBSPOT_DATA_RAW", "HUBSPOT_DATA", "SOPHIA_OPS"):
            cursor.execute(f"CREATE SCHEMA {DB}.{schema}")
        yield cursor


def _run(cursor: Any) -> list[str]:
    """One task run: each step's lookup (SELECT ... INTO a variable, run here as a plain SELECT), and the
    SET TAG it guards when the lookup finds the table or column."""
    ran = []
    for step in tagging_steps(NAMING, [STREAM]):
        cursor.execute(step.lookup.replace(" INTO :found", "", 1))
        (found,) = cursor.fetchone()
        if found > 0:
            cursor.execute(step.statement)  # fakesnow accepts it and records nothing
            ran.append(str(step.statement))
    return ran


def test_a_run_tags_only_what_exists_and_the_next_run_tags_what_appeared(cursor: Any) -> None:
    cursor.execute(f"CREATE TABLE {DB}.HUBSPOT_DATA_RAW.CONTACTS (ID VARCHAR, PROPERTIES_EMAIL VARCHAR)")

    first = _run(cursor)

    raw = f"{DB}.HUBSPOT_DATA_RAW.CONTACTS"
    assert [s.split(" SET TAG ")[0] for s in first] == [
        f"ALTER TABLE {raw}",
        f"ALTER TABLE {raw} MODIFY COLUMN PROPERTIES_EMAIL",
    ]
    # The phone column and the curated table appear later (a new field, the gate's first promotion).
    cursor.execute(f"ALTER TABLE {raw} ADD COLUMN PROPERTIES_PHONE VARCHAR")
    cursor.execute(f"CREATE TABLE {DB}.HUBSPOT_DATA.CONTACTS (ID VARCHAR, PROPERTIES_EMAIL VARCHAR)")

    second = _run(cursor)

    curated = f"{DB}.HUBSPOT_DATA.CONTACTS"
    assert [s.split(" SET TAG ")[0] for s in second] == [
        f"ALTER TABLE {raw}",
        f"ALTER TABLE {raw} MODIFY COLUMN PROPERTIES_EMAIL",
        f"ALTER TABLE {raw} MODIFY COLUMN PROPERTIES_PHONE",
        f"ALTER TABLE {curated}",
        f"ALTER TABLE {curated} MODIFY COLUMN PROPERTIES_EMAIL",
    ]
    assert _run(cursor) == second  # SET TAG replaces a value: a rerun sets the same tags again


def test_a_table_in_another_schema_or_a_lower_case_name_is_not_taken_for_the_stream(cursor: Any) -> None:
    cursor.execute(f"CREATE TABLE {DB}.SOPHIA_OPS.CONTACTS (PROPERTIES_EMAIL VARCHAR)")
    cursor.execute(f'CREATE TABLE {DB}.HUBSPOT_DATA_RAW."contacts" (PROPERTIES_EMAIL VARCHAR)')
    assert _run(cursor) == []


def _table_tag(statement: str) -> tuple[str, str, str]:
    tree = sqlglot.parse_one(statement, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    assert isinstance(tree, exp.Alter) and tree.args["kind"] == "TABLE"
    (action,) = tree.args["actions"]
    assert isinstance(action, exp.AlterSet)
    (tag,) = action.args["tag"]
    return tree.this.sql("snowflake"), tag.this.sql("snowflake"), tag.expression.name


def test_every_statement_is_a_set_tag_of_the_declared_tag_and_value() -> None:
    steps: list[TaggingStep] = tagging_steps(NAMING, [STREAM])
    tables = [_table_tag(s.statement) for s in steps if " MODIFY COLUMN " not in s.statement]
    columns = [COLUMN_SET_TAG.fullmatch(s.statement) for s in steps if " MODIFY COLUMN " in s.statement]
    metadata = f"{DB}.SOPHIA_OPS.SOPHIA_AI_METADATA"
    assert [(table, tag) for table, tag, _ in tables] == [
        (f"{DB}.HUBSPOT_DATA_RAW.CONTACTS", metadata),
        (f"{DB}.HUBSPOT_DATA.CONTACTS", metadata),
    ]
    for _, _, value in tables:
        assert json.loads(value) == {
            "data_source": "hubspot",
            "entity_type": "contact",
            "pii_level": "high",
            "update_frequency": "hourly",
            "vector_index": False,
        }
    assert all(columns), [s.statement for s in steps]
    assert {(m["column"], m["tag"], m["value"]) for m in columns} == {
        ("PROPERTIES_EMAIL", f"{DB}.SOPHIA_OPS.PII_LEVEL", "high"),
        ("PROPERTIES_PHONE", f"{DB}.SOPHIA_OPS.PII_LEVEL", "high"),
    }


def test_the_lookups_parse_and_the_body_runs_each_statement_under_its_lookup() -> None:
    body = tagging_task_body(NAMING, [STREAM])
    steps = tagging_steps(NAMING, [STREAM])
    for step in steps:
        sqlglot.parse_one(
            step.lookup.replace(" INTO :found", "", 1), read="snowflake", error_level=sqlglot.ErrorLevel.RAISE
        )
        guarded = f"{step.lookup};\n    IF (found > 0) THEN\n        {step.statement};\n    END IF;"
        assert guarded in body
    assert body.count("IF (found > 0)") == len(steps) == 6
    assert "DECLARE\n    found INTEGER DEFAULT 0;\nBEGIN" in body and body.endswith("END")


def test_a_stream_kept_in_raw_only_is_not_looked_up_in_curated() -> None:
    raw_only = TaggedStream.from_config("HUBSPOT", Contacts(), promoted=False)
    assert all("HUBSPOT_DATA." not in s.statement for s in tagging_steps(NAMING, [raw_only]))


def test_a_stream_without_pii_columns_keeps_the_schemas_high_level_and_tags_no_column() -> None:
    class Deals:
        name, entity_type, pii_columns = "deals", None, {}

    steps = tagging_steps(NAMING, [TaggedStream.from_config("HUBSPOT", Deals(), promoted=True)])
    assert [_table_tag(s.statement)[0] for s in steps] == [
        f"{DB}.HUBSPOT_DATA_RAW.DEALS",
        f"{DB}.HUBSPOT_DATA.DEALS",
    ]
    assert {json.loads(_table_tag(s.statement)[2])["pii_level"] for s in steps} == {"high"}
    assert {json.loads(_table_tag(s.statement)[2])["entity_type"] for s in steps} == {"deals"}
