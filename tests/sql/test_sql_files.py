"""The sql/ registry: every file referenced exists and is registered, every file is referenced, values are safe."""

import ast
import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest

from catalog.embedding import EmbeddingModel
from catalog.sql_files import (
    SQL_DIR,
    SQL_FILES,
    Slot,
    SqlLiteral,
    SqlTemplateError,
    placeholders,
    read_sql,
    render_sql,
    render_union_all,
)
from models.tag_metadata import PiiLevel

REPO = SQL_DIR.parent
_SQL_PATH = re.compile(r"^[a-z0-9_/]+\.sql$")


def _program_files() -> Iterator[Path]:
    """The program's Python files: everything but tests and the virtualenv."""
    for entry in REPO.iterdir():
        if entry.name in {".venv", ".git", "tests"}:
            continue
        if entry.is_dir():
            yield from entry.rglob("*.py")
        elif entry.suffix == ".py":
            yield entry


def _code_references() -> dict[str, list[str]]:
    """Every `*.sql` string literal in the program (the registry aside), and the files it appears in."""
    found: dict[str, list[str]] = {}
    for path in _program_files():
        relative = str(path.relative_to(REPO))
        if relative == "catalog/sql_files.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_PATH.match(node.value):
                found.setdefault(node.value, []).append(relative)
    return found


def test_every_file_in_sql_is_registered_and_every_registered_file_exists():
    on_disk = {str(path.relative_to(SQL_DIR)) for path in SQL_DIR.rglob("*.sql")}
    assert sorted(on_disk - set(SQL_FILES)) == [], "files in sql/ missing from SQL_FILES"
    assert sorted(set(SQL_FILES) - on_disk) == [], "SQL_FILES entries with no file"


def test_every_registered_file_is_referenced_by_the_program_and_every_reference_is_registered():
    references = _code_references()
    assert sorted(set(references) - set(SQL_FILES)) == [], f"unregistered SQL paths in code: {references}"
    assert sorted(set(SQL_FILES) - set(references)) == [], "registered SQL files no code uses"


@pytest.mark.parametrize("path", sorted(SQL_FILES))
def test_placeholders_in_each_file_match_its_registered_slots(path):
    assert placeholders(read_sql(path)) == set(SQL_FILES[path].slots)


def test_unregistered_path_is_refused():
    with pytest.raises(SqlTemplateError, match=re.escape("sql/views/semantic/secret.sql is not registered")):
        render_sql("views/semantic/secret.sql")


def test_missing_placeholder_is_refused():
    with pytest.raises(SqlTemplateError, match="needs \\['knowledge_schema'\\]"):
        render_sql("views/semantic/customer_360.sql")


@pytest.mark.parametrize(
    "value",
    [
        "knowledge",
        '"FOUNDATIONAL_KNOWLEDGE"',
        "FOUNDATIONAL_KNOWLEDGE; DROP TABLE CUSTOMERS",
        "FOUNDATIONAL_KNOWLEDGE --",
        "A.B.C.D",
        "FOUNDATIONAL_KNOWLEDGE'",
        "",
    ],
)
def test_identifier_slots_refuse_anything_but_plain_identifiers(value):
    with pytest.raises(SqlTemplateError, match="is not a plain Snowflake identifier"):
        render_sql("views/semantic/customer_360.sql", knowledge_schema=value)


def test_identifier_slot_accepts_qualified_names():
    sql = render_sql("warehouses/assign_monitor.sql", warehouse="SOPHIA_AI_ML_WH", monitor="DB.OPS.MONITOR")
    assert sql == "ALTER WAREHOUSE SOPHIA_AI_ML_WH SET RESOURCE_MONITOR = DB.OPS.MONITOR"


class _Unsafe(StrEnum):
    QUOTE = "e5-base-v2') OR ('1'='1"


@pytest.mark.parametrize("model", ["e5-base-v2", _Unsafe.QUOTE])
def test_literal_slots_take_only_safe_enum_members(model):
    with pytest.raises(SqlTemplateError, match="is not a member of a validated enum"):
        render_sql("queries/entity_search.sql", semantic_schema="S", search_index="I", model=model)


@pytest.mark.parametrize("value", ["e5-base-v2') OR ('1'='1", "", "it's"])
def test_a_sql_literal_refuses_what_could_leave_its_quotes_when_it_is_made(value):
    with pytest.raises(SqlTemplateError, match="may not be a SQL literal"):
        SqlLiteral(value)


def test_literal_slots_take_a_sql_literal():
    sql = render_sql(
        "queries/entity_search.sql", semantic_schema="S", search_index="I", model=SqlLiteral("m-1")
    )
    assert "'m-1'" in sql


@pytest.mark.parametrize(
    ("embed_columns", "reason"),
    [
        ("NAME, DESCRIPTION", "a non-empty list of plain Snowflake identifiers"),
        ((), "a non-empty list of plain Snowflake identifiers"),
        (("NAME", "S.DESCRIPTION"), "a non-empty list of plain Snowflake identifiers"),
        (("NAME", "x) OR (1=1"), "a non-empty list of plain Snowflake identifiers"),
    ],
)
def test_identifier_list_slots_refuse_strings_empty_lists_and_non_identifiers(embed_columns, reason):
    with pytest.raises(SqlTemplateError, match=re.escape(reason)):
        render_sql(
            "tasks/embed_entity.sql",
            knowledge_schema="K",
            stream="S",
            embeddings_table="E",
            id_column="ID",
            embed_columns=embed_columns,
            model=EmbeddingModel.E5_BASE_V2,
        )


@pytest.mark.parametrize("roles", [(), ("ADMIN'); --",), "SOPHIA_AI_ADMIN_ROLE"])
def test_literal_list_slots_refuse_empty_lists_strings_and_non_identifiers(roles):
    with pytest.raises(SqlTemplateError, match="allowed_roles="):
        render_sql(
            "masking/string.sql",
            pii_tag="DB.OPS.PII_LEVEL",
            unmasked_levels=(PiiLevel.HIGH,),
            allowed_roles=roles,
        )


@pytest.mark.parametrize("minutes", [-1, "15", True, 1.5])
def test_integer_slots_take_only_non_negative_ints(minutes):
    with pytest.raises(SqlTemplateError, match="is not a non-negative integer"):
        render_sql("quality/alerts/held_too_long.sql", held_batches="H", max_hold_minutes=minutes)


@pytest.mark.parametrize("integration", ["ALERTS'); DROP TABLE X; --", "alerts", "DB.ALERTS", _Unsafe.QUOTE])
def test_name_literal_slots_take_only_plain_identifiers(integration):
    with pytest.raises(SqlTemplateError, match="is not a plain Snowflake identifier"):
        render_sql("quality/alerts/notify.sql", alert="AN_ALERT", integration=integration)


def test_name_literal_and_integer_slots_write_a_quoted_name_and_a_number():
    notify = render_sql("quality/alerts/notify.sql", alert="AN_ALERT", integration="SOPHIA_ALERTS")
    assert "'AN_ALERT' || ': '" in notify and "INTEGRATION('SOPHIA_ALERTS')" in notify
    held = render_sql("quality/alerts/held_too_long.sql", held_batches="H", max_hold_minutes=90)
    assert "TIMESTAMPADD(MINUTE, -90, SNOWFLAKE.ALERT.SCHEDULED_TIME())" in held


def test_union_all_needs_a_branch():
    with pytest.raises(SqlTemplateError, match="needs at least one branch"):
        render_union_all("views/semantic/entity_search_index_branch.sql", [])


def test_slots_cover_every_kind():
    assert {slot for file in SQL_FILES.values() for slot in file.slots.values()} == set(Slot)
