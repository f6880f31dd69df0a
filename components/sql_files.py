"""Loads SQL from `sql/` by path and substitutes only validated identifiers into it."""

import re
from functools import cache
from pathlib import Path

from components.identifiers import IDENTIFIER_PATTERN

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_QUALIFIED = re.compile(r"^[A-Z_][A-Z0-9_$]*(\.[A-Z_][A-Z0-9_$]*){0,2}$")


class SqlTemplateError(ValueError):
    """A SQL file that is missing, or a substitution that is not a plain identifier."""


@cache
def read_sql(relative_path: str) -> str:
    """The text of one file under `sql/`; cached, since components render the same file many times."""
    path = SQL_DIR / relative_path
    if not path.is_file():
        raise SqlTemplateError(f"sql/{relative_path} does not exist")
    return path.read_text()


def render_sql(relative_path: str, **identifiers: str) -> str:
    """Fills `{name}` placeholders with identifiers (optionally db- or schema-qualified), nothing else."""
    for key, value in identifiers.items():
        if not _QUALIFIED.fullmatch(value) or not all(_IDENTIFIER.fullmatch(p) for p in value.split(".")):
            raise SqlTemplateError(
                f"sql/{relative_path}: {key}={value!r} is not a plain Snowflake identifier"
            )
    try:
        return read_sql(relative_path).format(**identifiers).strip()
    except KeyError as missing:
        raise SqlTemplateError(f"sql/{relative_path} needs placeholder {missing}") from None
