"""The slot kinds a SQL file's header may declare: what each accepts and how its value is written into the SQL."""

import json
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import TypeAlias, assert_never

from models.identifiers import IDENTIFIER_PATTERN

# Enum values become quoted literals: letters, digits and `_ . -` only, so they can never close the quote.
LITERAL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# A webhook URL whose secret part is Snowflake's placeholder: a host and path segments of letters, digits,
# `_` and `-` only, so it can neither close the quote it sits in nor carry the secret itself.
_WEBHOOK_URL = re.compile(r"^https://[a-z0-9-]+(\.[a-z0-9-]+)+(/[A-Za-z0-9_-]+)*/SNOWFLAKE_WEBHOOK_SECRET$")


class SqlTemplateError(ValueError):
    """A SQL file that is missing or malformed, or a value that may not be substituted into it."""


class SlotRefused(SqlTemplateError):
    """A value its slot does not take; `expected` says what the slot takes."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class SqlLiteral(str):
    """A value checked once, when made, to be safe inside quotes: for literals no enum lists, like entity types."""

    def __new__(cls, value: str) -> "SqlLiteral":
        if not LITERAL_PATTERN.fullmatch(value):
            raise SqlTemplateError(f"{value!r} may not be a SQL literal: letters, digits and _ . - only")
        return super().__new__(cls, value)


class SqlFragment(str):
    """Text rendered from a file under `sql/` by render_fragment: the only SQL a FRAGMENT slot takes."""


SqlValue: TypeAlias = str | int | StrEnum | SqlLiteral | Sequence[str | StrEnum | SqlLiteral]


class Slot(StrEnum):
    """A slot kind, as a file's header names it (`-- slot <name>: <kind>`)."""

    IDENTIFIER = "identifier"  # a name, optionally db- or schema-qualified, written as is
    IDENTIFIER_LIST = "identifier_list"  # unqualified names, written comma-separated
    LITERAL = "literal"  # an enum member or a SqlLiteral, written as a quoted string
    LITERAL_LIST = "literal_list"  # literals or names, each written as a quoted string
    NAME_LITERAL = "name_literal"  # a plain name written as a quoted string, e.g. an object a function takes
    INTEGER = "integer"  # a non-negative int, written as a number
    WEBHOOK_URL = "webhook_url"  # an https URL ending in the secret's placeholder, written as is
    FRAGMENT = "fragment"  # SQL rendered from another file under sql/ (render_fragment), written as is
    TAG_VALUE = "tag_value"  # a JSON object without quote or backslash (SophiaMetadata), written quoted


def write_value(slot: Slot, value: SqlValue) -> str:
    """The value as the SQL text its slot writes, or SlotRefused saying what the slot takes."""
    match slot:
        case Slot.IDENTIFIER:
            parts = value.split(".") if isinstance(value, str) else []
            if not 1 <= len(parts) <= 3 or not all(_IDENTIFIER.fullmatch(p) for p in parts):
                raise SlotRefused("a plain Snowflake identifier (optionally db- or schema-qualified)")
            return str(value)
        case Slot.IDENTIFIER_LIST:
            if isinstance(value, str | int) or not value or not all(_is_identifier(v) for v in value):
                raise SlotRefused("a non-empty list of plain Snowflake identifiers")
            return ", ".join(str(v) for v in value)
        case Slot.LITERAL:
            if not _is_literal(value):
                raise SlotRefused("a member of a validated enum nor a SqlLiteral")
            return f"'{value}'"
        case Slot.LITERAL_LIST:
            if isinstance(value, str | int) or not value:
                raise SlotRefused("a non-empty list of enum members or identifiers")
            if not all(_is_literal(v) or _is_identifier(v) for v in value):
                raise SlotRefused("a list of enum members, SqlLiterals or identifiers only")
            return ", ".join(f"'{v}'" for v in value)
        case Slot.NAME_LITERAL:
            if not _is_identifier(value):
                raise SlotRefused("a plain Snowflake identifier")
            return f"'{value}'"
        case Slot.INTEGER:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SlotRefused("a non-negative integer")
            return str(value)
        case Slot.WEBHOOK_URL:
            if not isinstance(value, str) or not _WEBHOOK_URL.fullmatch(value):
                raise SlotRefused("an https:// webhook URL ending in /SNOWFLAKE_WEBHOOK_SECRET")
            return value
        case Slot.TAG_VALUE:
            if not _is_tag_value(value):
                raise SlotRefused("a JSON object without a quote or backslash")
            return f"'{value}'"
        case Slot.FRAGMENT:
            if not isinstance(value, SqlFragment):
                raise SlotRefused("SQL rendered by render_fragment")
            return str(value)
        case _:
            assert_never(slot)


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
