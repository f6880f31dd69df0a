"""What a SQL file's placeholders accept: the slot kinds, the values they take, and a file's registration."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

# Enum values become quoted literals: letters, digits and `_ . -` only, so they can never close the quote.
LITERAL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


class SqlTemplateError(ValueError):
    """A SQL file that is missing or unregistered, or a value that may not be substituted into it."""


class SqlLiteral(str):
    """A value checked once, when made, to be safe inside quotes: for literals no enum lists, like entity types."""

    def __new__(cls, value: str) -> "SqlLiteral":
        if not LITERAL_PATTERN.fullmatch(value):
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
    TAG_VALUE = "tag_value"  # a JSON object without quote or backslash (SophiaMetadata), written quoted


@dataclass(frozen=True)
class SqlFile:
    """One file under `sql/` and the placeholders it takes."""

    path: str
    slots: Mapping[str, Slot]
