"""Loads SQL from `sql/` by path and substitutes only validated identifiers and literals into it."""

import json
import re
import string
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import assert_never

from catalog.sql_files_quality import QUALITY_FILES
from catalog.sql_files_tagging import TAGGING_FILES
from catalog.sql_slots import (
    LITERAL_PATTERN,
    Slot,
    SqlFile,
    SqlFragment,
    SqlLiteral,
    SqlTemplateError,
    SqlValue,
)
from models.identifiers import IDENTIFIER_PATTERN
from models.inventory_kinds import KINDS, Scope

__all__ = ["SQL_FILES", "Slot", "SqlFile", "SqlFragment", "SqlLiteral", "SqlTemplateError", "SqlValue"]

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# A webhook URL whose secret part is Snowflake's placeholder: a host and path segments of letters, digits,
# `_` and `-` only, so it can neither close the quote it sits in nor carry the secret itself.
_WEBHOOK_URL = re.compile(r"^https://[a-z0-9-]+(\.[a-z0-9-]+)+(/[A-Za-z0-9_-]+)*/SNOWFLAKE_WEBHOOK_SECRET$")


_NAME, _NAMES, _ENUM, _QUOTED = Slot.IDENTIFIER, Slot.IDENTIFIER_LIST, Slot.LITERAL, Slot.LITERAL_LIST
_NAME_TEXT, _INT, _URL, _SQL = Slot.NAME_LITERAL, Slot.INTEGER, Slot.WEBHOOK_URL, Slot.FRAGMENT
_MASKING_SLOTS = {"pii_tag": _NAME, "unmasked_levels": _QUOTED, "allowed_roles": _QUOTED}
_ENTITY_SLOTS = {"entity_type": _ENUM, "knowledge_schema": _NAME, "table": _NAME, "embeddings_table": _NAME}
# The semantic layer's fragments: each takes one entity column, or one relationship type's alias.
_COLUMN, _FACT = {"column": _NAME}, {"alias": _NAME}
_COLUMN_FRAGMENTS = ("changed_column", "assign_column", "record_value", "owns_row")
_ID, _TEXT = {"id_column": _NAME}, {"id_column": _NAME, "embed_columns": _NAMES}
_FRESHNESS_SLOTS = {**_ENTITY_SLOTS, **_TEXT, "model": _ENUM, "min_coverage_pct": _INT}
_MAINTAIN_SLOTS = {**_ID, "entity_table": _NAME, "stream": _NAME, "key_name": _ENUM, "key_field": _NAME}
_TASK_BODY_SLOTS = dict.fromkeys(("information_schema", "stream", "curated_table"), _NAME) | dict.fromkeys(
    ("curated_schema", "curated_name"), _NAME_TEXT
)
_FACT_JOIN_SLOTS = {**_FACT, **_ID, "knowledge_schema": _NAME, "relationships": _NAME, "entity_type": _ENUM}
_FACT_JOIN_SLOTS["relationship_type"] = _ENUM
_SEARCH_SOURCE_SLOTS = {**_ENTITY_SLOTS, **_TEXT, "name_column": _NAME}
del _SEARCH_SOURCE_SLOTS["embeddings_table"]

# The one list of SQL files: render_sql refuses any other path, and a test checks it against sql/.
SQL_FILES: Mapping[str, SqlFile] = {
    file.path: file
    for file in (
        SqlFile("warehouses/assign_monitor.sql", {"warehouse": _NAME, "monitor": _NAME}),
        SqlFile("warehouses/unassign_monitor.sql", {"warehouse": _NAME}),
        SqlFile("warehouses/show_monitor.sql", {"warehouse": _NAME}),
        SqlFile(
            "tasks/embed_entity.sql",
            {
                "knowledge_schema": _NAME,
                "stream": _NAME,
                "embeddings_table": _NAME,
                "id_column": _NAME,
                "embed_columns": _NAMES,
                "model": _ENUM,
            },
        ),
        SqlFile("tasks/embed_entity_when.sql", {"knowledge_schema": _NAME, "stream": _NAME}),
        SqlFile(
            "views/semantic/entity_search_index_branch.sql",
            {**_ENTITY_SLOTS, "id_column": _NAME, "name_column": _NAME, "description_column": _NAME},
        ),
        SqlFile("views/semantic/customer_360.sql", {"knowledge_schema": _NAME}),
        SqlFile("views/semantic/competitor_landscape.sql", {"knowledge_schema": _NAME}),
        SqlFile("views/semantic/product_pricing.sql", {"knowledge_schema": _NAME}),
        SqlFile("views/semantic/employee_directory.sql", {"knowledge_schema": _NAME}),
        SqlFile("views/ops/embedding_freshness_branch.sql", _FRESHNESS_SLOTS),
        SqlFile(
            "queries/entity_search.sql", {"semantic_schema": _NAME, "search_index": _NAME, "model": _ENUM}
        ),
        SqlFile("entities/maintain.sql", _MAINTAIN_SLOTS),
        *(SqlFile(f"entities/{name}.sql", _COLUMN) for name in _COLUMN_FRAGMENTS),
        SqlFile("entities/select_column.sql", {**_COLUMN, "field": _NAME}),
        SqlFile("entities/select_constant.sql", {**_COLUMN, "value": _ENUM}),
        SqlFile("entities/select_reference.sql", {**_COLUMN, "key_name": _ENUM, "field": _NAME}),
        SqlFile("entities/owns_row_by_id.sql", {}),
        SqlFile("entities/task_body.sql", _TASK_BODY_SLOTS),
        SqlFile("views/semantic/entity_360.sql", {}),
        SqlFile("views/semantic/entity_360_base.sql", {"knowledge_schema": _NAME, "table": _NAME}),
        SqlFile("views/semantic/entity_360_fact_join.sql", _FACT_JOIN_SLOTS),
        SqlFile(
            "views/semantic/entity_360_fact_columns.sql",
            {**_FACT, "count_column": _NAME, "last_column": _NAME},
        ),
        SqlFile(
            "views/semantic/tagged_objects.sql", dict.fromkeys(("database", "tag_schema", "tag"), _NAME_TEXT)
        ),
        SqlFile("search/service_source_branch.sql", _SEARCH_SOURCE_SLOTS),
        SqlFile("masking/string.sql", _MASKING_SLOTS),
        SqlFile("masking/null.sql", _MASKING_SLOTS),
        SqlFile("masking/variant.sql", _MASKING_SLOTS),
        SqlFile("hooks/execute_task.sql", {"task": _NAME}),
        *QUALITY_FILES,
        # What `sophia inventory` runs: one SHOW per kind, over the scope its record names.
        *(
            SqlFile(kind.sql, {} if kind.scope is Scope.ACCOUNT else {kind.scope.value: _NAME})
            for kind in KINDS
        ),
        SqlFile("security/row_access/mapped.sql", {"mapping": _NAME, "policy": _NAME_TEXT}),
        SqlFile("security/row_access/sees_all.sql", {"role": _NAME_TEXT}),
        SqlFile("security/row_access/attach.sql", {"table": _NAME, "policy": _NAME, "column": _NAME}),
        SqlFile("security/row_access/detach.sql", {"table": _NAME, "policy": _NAME}),
        SqlFile(
            "security/row_access/show_attachment.sql", {"information_schema": _NAME, "table_name": _ENUM}
        ),
        SqlFile("security/events/create_event_table.sql", {"event_table": _NAME}),
        SqlFile("security/events/drop_event_table.sql", {"event_table": _NAME}),
        SqlFile("security/events/show_event_table.sql", {"name": _NAME_TEXT, "schema": _NAME}),
        SqlFile("security/events/set_database_event_table.sql", {"database": _NAME, "event_table": _NAME}),
        SqlFile("security/events/unset_database_event_table.sql", {"database": _NAME}),
        SqlFile("security/events/show_database_event_table.sql", {"database": _NAME}),
        SqlFile("security/audit/pii_reads.sql", {"pii_columns": _QUOTED}),
        SqlFile("security/audit/logins.sql", {"declared_methods": _QUOTED, "users": _QUOTED}),
        SqlFile("security/audit/queries.sql", {"database": _NAME_TEXT, "roles": _QUOTED, "users": _QUOTED}),
        SqlFile(
            "security/audit/grants.sql",
            {"database": _NAME_TEXT, "roles": _QUOTED, "users": _QUOTED, "program_roles": _QUOTED},
        ),
        SqlFile("security/audit/gate_decisions.sql", {"decisions": _NAME}),
        SqlFile("security/audit/credentials.sql", {"users": _QUOTED, "max_key_age_days": _INT}),
        SqlFile("security/alerts/credentials_expiring.sql", {"credentials": _NAME, "warning_days": _INT}),
        SqlFile("security/alerts/undeclared_logins.sql", {"logins": _NAME, "lookback_hours": _INT}),
        *TAGGING_FILES,
    )
}


@cache
def read_sql(relative_path: str) -> str:
    """The text of one registered file under `sql/`; cached, since components render files many times."""
    _registered(relative_path)
    path = SQL_DIR / relative_path
    if not path.is_file():
        raise SqlTemplateError(f"sql/{relative_path} does not exist")
    return path.read_text()


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders a SQL text uses, so the registry can be checked against the files."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def render_sql(relative_path: str, **values: SqlValue) -> str:
    """Fills a file's placeholders, each checked against its slot; keys the file does not use are ignored."""
    file = _registered(relative_path)
    text = read_sql(relative_path)
    missing = sorted(set(file.slots) - set(values))
    if missing:
        raise SqlTemplateError(f"sql/{relative_path} needs {missing}; given {sorted(values)}")
    rendered = {key: _render_value(relative_path, key, slot, values[key]) for key, slot in file.slots.items()}
    return text.format(**rendered).strip()


def render_fragment(relative_path: str, **values: SqlValue) -> SqlFragment:
    """A file rendered for use inside another file's FRAGMENT slot."""
    return SqlFragment(render_sql(relative_path, **values))


def join_fragments(separator: str, fragments: Iterable[SqlFragment]) -> SqlFragment:
    """Fragments joined by a fixed keyword, e.g. the key columns' matches by AND."""
    if separator.strip() not in ("AND", "OR", ","):
        raise SqlTemplateError(f"fragments are joined by AND, OR or a comma, not {separator!r}")
    return SqlFragment(separator.join(fragments))


def render_union_all(relative_path: str, branches: Iterable[Mapping[str, SqlValue]]) -> str:
    """One rendered SELECT per branch joined by UNION ALL: how one view covers every catalog table."""
    rendered = [render_sql(relative_path, **branch) for branch in branches]
    if not rendered:
        raise SqlTemplateError(f"sql/{relative_path}: a UNION ALL needs at least one branch")
    return "\nUNION ALL\n".join(rendered)


def _render_value(path: str, key: str, slot: Slot, value: SqlValue) -> str:
    def refuse(expected: str) -> SqlTemplateError:
        return SqlTemplateError(f"sql/{path}: {key}={value!r} is not {expected}")

    match slot:
        case Slot.IDENTIFIER:
            parts = value.split(".") if isinstance(value, str) else []
            if not 1 <= len(parts) <= 3 or not all(_IDENTIFIER.fullmatch(p) for p in parts):
                raise refuse("a plain Snowflake identifier (optionally db- or schema-qualified)")
            return str(value)
        case Slot.IDENTIFIER_LIST:
            if isinstance(value, str | int) or not value or not all(_is_identifier(v) for v in value):
                raise refuse("a non-empty list of plain Snowflake identifiers")
            return ", ".join(str(v) for v in value)
        case Slot.LITERAL:
            if not _is_literal(value):
                raise refuse("a member of a validated enum nor a SqlLiteral")
            return f"'{value}'"
        case Slot.LITERAL_LIST:
            if isinstance(value, str | int) or not value:
                raise refuse("a non-empty list of enum members or identifiers")
            if not all(_is_literal(v) or _is_identifier(v) for v in value):
                raise refuse("a list of enum members, SqlLiterals or identifiers only")
            return ", ".join(f"'{v}'" for v in value)
        case Slot.NAME_LITERAL:
            if not _is_identifier(value):
                raise refuse("a plain Snowflake identifier")
            return f"'{value}'"
        case Slot.INTEGER:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise refuse("a non-negative integer")
            return str(value)
        case Slot.WEBHOOK_URL:
            if not isinstance(value, str) or not _WEBHOOK_URL.fullmatch(value):
                raise refuse("an https:// webhook URL ending in /SNOWFLAKE_WEBHOOK_SECRET")
            return value
        case Slot.TAG_VALUE:
            if not _is_tag_value(value):
                raise refuse("a JSON object without a quote or backslash")
            return f"'{value}'"
        case Slot.FRAGMENT:
            if not isinstance(value, SqlFragment):
                raise refuse("SQL rendered by render_fragment")
            return str(value)
        case _:
            assert_never(slot)


def _registered(relative_path: str) -> SqlFile:
    file = SQL_FILES.get(relative_path)
    if file is None:
        raise SqlTemplateError(f"sql/{relative_path} is not registered in catalog.sql_files.SQL_FILES")
    return file


def _is_identifier(value: object) -> bool:
    return (
        isinstance(value, str)
        and not isinstance(value, StrEnum | SqlLiteral)
        and bool(_IDENTIFIER.fullmatch(value))
    )


def _is_tag_value(value: object) -> bool:
    if not isinstance(value, str) or "'" in value or "\\" in value:
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def _is_literal(value: object) -> bool:
    return isinstance(value, SqlLiteral) or (
        isinstance(value, StrEnum) and bool(LITERAL_PATTERN.fullmatch(value.value))
    )
