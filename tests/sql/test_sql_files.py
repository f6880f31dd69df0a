"""The files in sql/: each header types every slot its SQL uses, each file is used, and values are safe."""

import ast
import json
import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest

from catalog.embedding import EmbeddingModel
from catalog.sql_files import (
    SQL_DIR,
    Slot,
    SqlFragment,
    SqlLiteral,
    SqlTemplateError,
    SqlValue,
    join_fragments,
    render_sql,
    render_union_all,
    sql_file,
)
from models.tag_metadata import PiiLevel

REPO = SQL_DIR.parent
SQL_PATHS = sorted(str(path.relative_to(SQL_DIR)) for path in SQL_DIR.rglob("*.sql"))
_SQL_PATH = re.compile(r"^[a-z0-9_/]+\.sql$")


def valid_value(name: str, slot: Slot) -> SqlValue:
    """A value each slot kind takes, distinct per slot name so a swapped slot shows."""
    upper = name.upper()
    match slot:
        case Slot.IDENTIFIER | Slot.NAME_LITERAL:
            return upper
        case Slot.IDENTIFIER_LIST:
            return (f"{upper}_A", f"{upper}_B")
        case Slot.LITERAL:
            return SqlLiteral(f"lit-{name}")
        case Slot.LITERAL_LIST:
            return (SqlLiteral(f"{name}-1"), f"{upper}_2")
        case Slot.INTEGER:
            return len(name)
        case Slot.WEBHOOK_URL:
            return f"https://hooks.example.com/{name}/SNOWFLAKE_WEBHOOK_SECRET"
        case Slot.FRAGMENT:
            return SqlFragment(f"/* {name} */ TRUE")
        case Slot.TAG_VALUE:
            return json.dumps({"slot": name})


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
    """Every `*.sql` string literal in the program, and the files it appears in."""
    found: dict[str, list[str]] = {}
    for path in _program_files():
        relative = str(path.relative_to(REPO))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_PATH.match(node.value):
                found.setdefault(node.value, []).append(relative)
    return found


def test_every_file_is_used_by_the_program_and_every_path_the_program_names_exists():
    references = _code_references()
    assert sorted(set(references) - set(SQL_PATHS)) == [], f"SQL paths in code with no file: {references}"
    assert sorted(set(SQL_PATHS) - set(references)) == [], "files in sql/ no code uses"


@pytest.mark.parametrize("path", SQL_PATHS)
def test_each_files_header_parses_and_types_exactly_the_slots_its_sql_uses(path):
    file = sql_file(path)
    used = {m for m in re.findall(r"(?<!\{)\{([a-z_][a-z0-9_]*)\}(?!\})", file.body)}
    assert set(file.slots) == used
    assert "-- slot " not in file.body


@pytest.mark.parametrize("path", SQL_PATHS)
def test_each_file_renders_with_values_its_slots_take(path):
    slots = sql_file(path).slots
    rendered = render_sql(path, **{key: valid_value(key, slot) for key, slot in slots.items()})
    assert "-- slot " not in rendered and rendered == rendered.strip() and rendered


def test_slots_cover_every_kind():
    assert {slot for path in SQL_PATHS for slot in sql_file(path).slots.values()} == set(Slot)


class _Unsafe(StrEnum):
    QUOTE = "e5-base-v2') OR ('1'='1"


# A hostile value for each kind, and what the refusal says the slot takes.
HOSTILE: dict[Slot, tuple[object, str]] = {
    Slot.IDENTIFIER: ("X; DROP TABLE Y", "a plain Snowflake identifier (optionally db- or schema-qualified)"),
    Slot.IDENTIFIER_LIST: (("A", "B) OR (1=1"), "a non-empty list of plain Snowflake identifiers"),
    Slot.LITERAL: (_Unsafe.QUOTE, "a member of a validated enum nor a SqlLiteral"),
    Slot.LITERAL_LIST: (("ADMIN'); --",), "a list of enum members, SqlLiterals or identifiers only"),
    Slot.NAME_LITERAL: ("X'); DROP TABLE Y; --", "a plain Snowflake identifier"),
    Slot.INTEGER: ("1; DROP TABLE Y", "a non-negative integer"),
    Slot.WEBHOOK_URL: (
        "https://hooks.example.com/a' || 'b/SNOWFLAKE_WEBHOOK_SECRET",
        "an https:// webhook URL ending in /SNOWFLAKE_WEBHOOK_SECRET",
    ),
    Slot.FRAGMENT: ("1=1; DROP TABLE Y", "SQL rendered by render_fragment"),
    Slot.TAG_VALUE: ('{"a": "b\'); DROP TABLE Y; --"}', "a JSON object without a quote or backslash"),
}


def test_every_kind_has_a_hostile_value():
    assert set(HOSTILE) == set(Slot)


@pytest.mark.parametrize("kind", list(Slot))
def test_a_hostile_value_is_refused_in_every_slot_of_its_kind(kind):
    hostile, expected = HOSTILE[kind]
    uses = [(path, key) for path in SQL_PATHS for key, slot in sql_file(path).slots.items() if slot is kind]
    assert uses
    for path, key in uses:
        values = {name: valid_value(name, slot) for name, slot in sql_file(path).slots.items()}
        message = f"sql/{path}: {key}={hostile!r} is not {expected}"
        with pytest.raises(SqlTemplateError, match=f"^{re.escape(message)}$"):
            render_sql(path, **{**values, key: hostile})


def test_missing_value_is_refused():
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
    "embed_columns", ["NAME, DESCRIPTION", (), ("NAME", "S.DESCRIPTION"), ("NAME", "x) OR (1=1")]
)
def test_identifier_list_slots_refuse_strings_empty_lists_and_non_identifiers(embed_columns):
    with pytest.raises(SqlTemplateError, match=re.escape("a non-empty list of plain Snowflake identifiers")):
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
        render_sql("quality_gate/alerts/held_too_long.sql", held_batches="H", max_hold_minutes=minutes)


@pytest.mark.parametrize("integration", ["ALERTS'); DROP TABLE X; --", "alerts", "DB.ALERTS", _Unsafe.QUOTE])
def test_name_literal_slots_take_only_plain_identifiers(integration):
    with pytest.raises(SqlTemplateError, match="is not a plain Snowflake identifier"):
        render_sql("quality_gate/alerts/notify.sql", alert="AN_ALERT", integration=integration)


def test_name_literal_and_integer_slots_write_a_quoted_name_and_a_number():
    notify = render_sql("quality_gate/alerts/notify.sql", alert="AN_ALERT", integration="SOPHIA_ALERTS")
    assert "'AN_ALERT' || ': '" in notify and "INTEGRATION('SOPHIA_ALERTS')" in notify
    held = render_sql("quality_gate/alerts/held_too_long.sql", held_batches="H", max_hold_minutes=90)
    assert "TIMESTAMPADD(MINUTE, -90, SNOWFLAKE.ALERT.SCHEDULED_TIME())" in held


def test_union_all_needs_a_branch():
    with pytest.raises(SqlTemplateError, match="needs at least one branch"):
        render_union_all("views/semantic/entity_search_index_branch.sql", [])


@pytest.mark.parametrize("separator", ["", "\n", " AND ", " OR ", ", "])
def test_fragments_join_by_a_keyword_a_comma_or_space(separator: str) -> None:
    parts = [SqlFragment("A = 1"), SqlFragment("B = 2")]
    assert join_fragments(separator, parts) == separator.join(parts)


@pytest.mark.parametrize("separator", ["; DROP TABLE X; ", " UNION SELECT 1 ", "--", " AND 1=1 OR "])
def test_fragments_refuse_a_separator_that_is_sql_of_its_own(separator: str) -> None:
    with pytest.raises(SqlTemplateError, match="fragments are joined by"):
        join_fragments(separator, [SqlFragment("A = 1"), SqlFragment("B = 2")])
