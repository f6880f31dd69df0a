"""Loads SQL from `sql/` by path and substitutes only validated identifiers and literals into it."""

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TypeAlias, assert_never

from models.identifiers import IDENTIFIER_PATTERN

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# Enum values become quoted literals: letters, digits and `_ . -` only, so they can never close the quote.
_LITERAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
# A webhook URL whose secret part is Snowflake's placeholder: a host and path segments of letters, digits,
# `_` and `-` only, so it can neither close the quote it sits in nor carry the secret itself.
_WEBHOOK_URL = re.compile(r"^https://[a-z0-9-]+(\.[a-z0-9-]+)+(/[A-Za-z0-9_-]+)*/SNOWFLAKE_WEBHOOK_SECRET$")


class SqlTemplateError(ValueError):
    """A SQL file that is missing or unregistered, or a value that may not be substituted into it."""


class SqlLiteral(str):
    """A value checked once, when made, to be safe inside quotes: for literals no enum lists, like entity types."""

    def __new__(cls, value: str) -> "SqlLiteral":
        if not _LITERAL.fullmatch(value):
            raise SqlTemplateError(f"{value!r} may not be a SQL literal: letters, digits and _ . - only")
        return super().__new__(cls, value)


class SqlFragment(str):
    """Text rendered from a registered file by render_fragment: the only SQL a FRAGMENT slot takes."""


SqlValue: TypeAlias = str | int | StrEnum | SqlLiteral | Sequence[str | StrEnum | SqlLiteral]


class Slot(StrEnum):
    """What a placeholder accepts and how it is written into the SQL."""

    IDENTIFIER = "identifier"  # a name, optionally db- or schema-qualified, written as is
    IDENTIFIER_LIST = "identifier_list"  # unqualified names, written comma-separated
    LITERAL = "literal"  # an enum member or a SqlLiteral, written as a quoted string
    LITERAL_LIST = "literal_list"  # literals or names, each written as a quoted string
    NAME_LITERAL = "name_literal"  # a plain name written as a quoted string, e.g. an object a function takes
    INTEGER = "integer"  # a non-negative int, written as a number
    WEBHOOK_URL = "webhook_url"  # an https URL ending in the secret's placeholder, written as is
    FRAGMENT = "fragment"  # SQL rendered from another registered file (render_fragment), written as is


@dataclass(frozen=True)
class SqlFile:
    """One file under `sql/` and the placeholders it takes."""

    path: str
    slots: Mapping[str, Slot]


_NAME, _NAMES, _ENUM, _QUOTED = Slot.IDENTIFIER, Slot.IDENTIFIER_LIST, Slot.LITERAL, Slot.LITERAL_LIST
_NAME_TEXT, _INT, _URL, _SQL = Slot.NAME_LITERAL, Slot.INTEGER, Slot.WEBHOOK_URL, Slot.FRAGMENT
_MASKING_SLOTS = {"pii_tag": _NAME, "unmasked_levels": _QUOTED, "allowed_roles": _QUOTED}
_ENTITY_SLOTS = {"entity_type": _ENUM, "knowledge_schema": _NAME, "table": _NAME, "embeddings_table": _NAME}
# The data-quality gate's statements; `{{name}}` in them is left for the gate to fill in when it runs.
_CHECK_SLOTS = {"failing_rows": _NAME, "key_columns": _NAMES, "batch": _SQL}
_STREAM_SLOTS = {"source": _ENUM, "stream": _ENUM}
_ALERT_WINDOW = {"settle_minutes": _INT}

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
        SqlFile(
            "views/ops/embedding_freshness_branch.sql",
            {**_ENTITY_SLOTS, "id_column": _NAME, "embed_columns": _NAMES, "model": _ENUM},
        ),
        SqlFile(
            "queries/entity_search.sql", {"semantic_schema": _NAME, "search_index": _NAME, "model": _ENUM}
        ),
        SqlFile("masking/string.sql", _MASKING_SLOTS),
        SqlFile("masking/null.sql", _MASKING_SLOTS),
        SqlFile("masking/variant.sql", _MASKING_SLOTS),
        SqlFile("hooks/execute_task.sql", {"task": _NAME}),
        SqlFile("quality/ddl/results_table.sql", {"results": _NAME}),
        SqlFile("quality/ddl/batches_table.sql", {"batches": _NAME}),
        SqlFile("quality/ddl/watermarks_table.sql", {"watermarks": _NAME}),
        SqlFile("quality/ddl/decisions_table.sql", {"decisions": _NAME}),
        SqlFile("quality/ddl/failing_rows_table.sql", {"failing_rows": _NAME}),
        SqlFile("quality/ddl/decided_rows_table.sql", {"decided_rows": _NAME}),
        SqlFile(
            "quality/held_batches_view.sql",
            {
                "batches": _NAME,
                "results": _NAME,
                "checked_statuses": _QUOTED,
                "held_status": _ENUM,
                "blocking_severity": _ENUM,
            },
        ),
        SqlFile("quality/gate/table_columns.sql", {"information_schema": _NAME}),
        SqlFile("quality/gate/create_curated.sql", {"curated_table": _NAME, "raw_table": _NAME}),
        SqlFile("quality/gate/add_curated_column.sql", {"curated_table": _NAME}),
        SqlFile("quality/gate/ensure_watermark.sql", {"watermarks": _NAME}),
        SqlFile("quality/gate/lock_stream.sql", {"watermarks": _NAME}),
        SqlFile("quality/gate/read_watermark.sql", {"watermarks": _NAME}),
        SqlFile("quality/gate/pending_decision.sql", {"decisions": _NAME, "held_batches": _NAME}),
        SqlFile("quality/gate/held_batch.sql", {"held_batches": _NAME}),
        SqlFile(
            "quality/gate/record_decided_rows.sql",
            {"decided_rows": _NAME, "failing_rows": _NAME, "results": _NAME, "blocking_severity": _ENUM},
        ),
        SqlFile("quality/gate/key_match.sql", {"left": _NAME, "right": _NAME, "column": _NAME}),
        SqlFile("quality/gate/older_than.sql", {"older": _NAME, "newer": _NAME, "cursor_column": _NAME}),
        SqlFile("quality/gate/set_aside.sql", {**_STREAM_SLOTS, "decided_rows": _NAME, "set_aside": _QUOTED}),
        SqlFile(
            "quality/gate/batch_rows.sql",
            {
                "raw_table": _NAME,
                "curated_table": _NAME,
                "key_match": _SQL,
                "curated_older": _SQL,
                "set_aside": _SQL,
            },
        ),
        SqlFile(
            "quality/gate/gone_rows.sql",
            {"raw_table": _NAME, "curated_table": _NAME, "key_match": _SQL, "set_aside": _SQL},
        ),
        SqlFile("quality/gate/batch_bounds.sql", {"batch": _SQL, "gone": _SQL}),
        SqlFile("quality/gate/delete_gone.sql", {"curated_table": _NAME, "gone": _SQL}),
        SqlFile("quality/gate/record_batch.sql", {"batches": _NAME}),
        SqlFile("quality/gate/clear_failing_rows.sql", {"failing_rows": _NAME}),
        SqlFile("quality/checks/not_null.sql", {**_CHECK_SLOTS, "column": _NAME}),
        SqlFile("quality/checks/unique.sql", {**_CHECK_SLOTS, "columns": _NAMES}),
        SqlFile("quality/checks/accepted_values.sql", {**_CHECK_SLOTS, "column": _NAME}),
        SqlFile("quality/checks/airbyte_meta.sql", _CHECK_SLOTS),
        SqlFile(
            "quality/checks/delete_share.sql",
            {"failing_rows": _NAME, "key_columns": _NAMES, "gone": _SQL, "curated_table": _NAME},
        ),
        SqlFile(
            "quality/checks/late_rows.sql",
            {
                "failing_rows": _NAME,
                "key_columns": _NAMES,
                "raw_table": _NAME,
                "curated_table": _NAME,
                "key_match": _SQL,
                "curated_older": _SQL,
                "set_aside": _SQL,
            },
        ),
        SqlFile(
            "quality/gate/record_results.sql", {"results": _NAME, "batches": _NAME, "failing_rows": _NAME}
        ),
        SqlFile("quality/gate/blocking_failures.sql", {"results": _NAME, "blocking_severity": _ENUM}),
        SqlFile("quality/gate/advance_watermark.sql", {"watermarks": _NAME}),
        SqlFile(
            "quality/gate/merge_batch.sql",
            {
                "curated_table": _NAME,
                "batch": _SQL,
                "key_columns": _NAMES,
                "cursor_column": _NAME,
                "key_match": _SQL,
                "curated_older": _SQL,
            },
        ),
        SqlFile("quality/gate/merge_assignment.sql", {}),
        SqlFile("quality/gate/merge_clear_column.sql", {}),
        SqlFile("quality/gate/merge_insert_value.sql", {}),
        SqlFile("quality/gate/close_batch.sql", {"batches": _NAME}),
        SqlFile("quality/gate/apply_decision.sql", {"decisions": _NAME}),
        SqlFile("quality/decide_held_batch.sql", {"decisions": _NAME, "held_batches": _NAME}),
        SqlFile("quality/task_body.sql", {"procedure": _NAME}),
        SqlFile(
            "quality/alerts/new_failures.sql",
            {
                **_ALERT_WINDOW,
                "results": _NAME,
                "batches": _NAME,
                "blocking_severity": _ENUM,
                "problem_statuses": _QUOTED,
            },
        ),
        SqlFile("quality/alerts/held_too_long.sql", {"held_batches": _NAME, "max_hold_minutes": _INT}),
        SqlFile("quality/alerts/embedding_coverage.sql", {"freshness": _NAME, "min_coverage_pct": _INT}),
        SqlFile("quality/alerts/notify.sql", {"alert": _NAME_TEXT, "integration": _NAME_TEXT}),
        SqlFile("quality/alerts/notify_webhook.sql", {"alert": _NAME_TEXT, "integration": _NAME_TEXT}),
        SqlFile("quality/integrations/slack.sql", {"integration": _NAME, "secret": _NAME}),
        SqlFile(
            "quality/integrations/teams.sql", {"integration": _NAME, "secret": _NAME, "webhook_url": _URL}
        ),
        SqlFile("quality/integrations/pagerduty.sql", {"integration": _NAME, "secret": _NAME}),
        SqlFile("quality/integrations/drop_integration.sql", {"integration": _NAME}),
        SqlFile("quality/integrations/show_integration.sql", {"integration": _NAME}),
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


def _is_literal(value: object) -> bool:
    return isinstance(value, SqlLiteral) or (
        isinstance(value, StrEnum) and bool(_LITERAL.fullmatch(value.value))
    )
