"""A table declaration: what it refuses, and the DDL it renders for the emulator, exactly."""

import subprocess
import sys

import pytest
from pydantic import ValidationError

from catalog.table_spec import TableSpec
from tests.harness import PROJECT_DIR


def _spec(**changes: object) -> TableSpec:
    raw: dict[str, object] = {
        "name": "RUNS",
        "comment": "One row per run; * marks the latest",
        "columns": [
            {"name": "RUN_ID", "type": "VARCHAR", "comment": "The run", "nullable": False},
            {"name": "ROWS_SEEN", "type": "NUMBER(38,0)", "comment": "Rows read"},
            {"name": "AT", "type": "TIMESTAMP_TZ", "comment": "When", "nullable": False},
        ],
        "primary_key": ["RUN_ID"],
    }
    return TableSpec.model_validate({**raw, **changes})


def test_the_ddl_carries_every_column_type_nullability_comment_and_the_key() -> None:
    assert _spec().create_table_sql("DB.OPS") == (
        "CREATE TABLE IF NOT EXISTS DB.OPS.RUNS (\n"
        "    RUN_ID VARCHAR NOT NULL COMMENT 'The run',\n"
        "    ROWS_SEEN NUMBER(38,0) COMMENT 'Rows read',\n"
        "    AT TIMESTAMP_TZ NOT NULL COMMENT 'When',\n"
        "    PRIMARY KEY (RUN_ID)\n"
        ") COMMENT = 'One row per run; * marks the latest'"
    )


def test_a_table_without_a_key_has_no_key_clause() -> None:
    statement = _spec(primary_key=[]).create_table_sql("OPS")
    assert statement.startswith("CREATE TABLE IF NOT EXISTS OPS.RUNS (")
    assert "PRIMARY KEY" not in statement


def test_the_pulumi_columns_are_the_declared_columns_in_order() -> None:
    assert _spec().column_args() == [
        {"name": "RUN_ID", "type": "VARCHAR", "nullable": False, "comment": "The run"},
        {"name": "ROWS_SEEN", "type": "NUMBER(38,0)", "nullable": True, "comment": "Rows read"},
        {"name": "AT", "type": "TIMESTAMP_TZ", "nullable": False, "comment": "When"},
    ]


@pytest.mark.parametrize(
    # The last three end a good name with something: a newline ($ alone lets it by), an empty part.
    "schema",
    ["ops", "OPS; DROP TABLE X", '"OPS"', "A.B.C", "DB..OPS", "", "OPS\n", "DB.OPS\n", "DB.OPS."],
)
def test_only_a_plain_or_database_qualified_schema_is_written_into_the_ddl(schema: str) -> None:
    with pytest.raises(ValueError, match="is not a plain or database-qualified upper-case schema name"):
        _spec().create_table_sql(schema)


@pytest.mark.parametrize("comment", ["It's", "back\\slash", "two\nlines", ""])
def test_a_comment_that_could_leave_its_string_literal_is_refused(comment: str) -> None:
    with pytest.raises(ValidationError, match="table RUNS: column AT: comment"):
        _spec(columns=[{"name": "AT", "type": "DATE", "comment": comment}], primary_key=[])
    with pytest.raises(ValidationError, match="table RUNS: comment"):
        _spec(comment=comment)


def test_an_unknown_type_is_refused_naming_the_allowed_types() -> None:
    with pytest.raises(ValidationError, match=r"column AT: type: .*'TIMESTAMP_TZ'.*given: 'GEOGRAPHY'"):
        _spec(columns=[{"name": "AT", "type": "GEOGRAPHY", "comment": "Where"}], primary_key=[])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"primary_key": ["MISSING"]}, "primary_key names \\['MISSING'\\], which are not columns"),
        (
            {"primary_key": ["ROWS_SEEN"]},
            "primary_key columns \\['ROWS_SEEN'\\] must be declared nullable: false",
        ),
        (
            {"columns": [{"name": "A", "type": "DATE", "comment": "a"}] * 2},
            "columns \\['A'\\] are listed more than once",
        ),
        ({"columns": []}, "columns: List should have at least 1 item"),
        ({"name": "runs"}, "name: String should match pattern"),
        ({"clustering": ["RUN_ID"]}, "clustering: Extra inputs are not permitted"),
    ],
)
def test_an_inconsistent_declaration_is_refused_naming_the_table(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=f"table [a-zA-Z]+: .*{message}"):
        _spec(**changes)


def test_the_program_declares_its_tables_without_parsing_sql() -> None:
    """No DDL is read back at run time: the program's modules load no SQL parser (the pack's rules may)."""
    probe = "import sys, components.platform, stack.loader; print(sorted(m for m in sys.modules if 'sqlglot' in m))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
