"""Loads SQL from `sql/` by path, its slots typed in the file's header, and substitutes only values they take."""

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from catalog.sql_slots import (
    Slot,
    SlotRefused,
    SqlFragment,
    SqlLiteral,
    SqlTemplateError,
    SqlValue,
    write_value,
)

__all__ = ["Slot", "SqlFile", "SqlFragment", "SqlLiteral", "SqlTemplateError", "SqlValue", "sql_file"]

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
# A path under sql/: lower-case words and folders, so no `..`, absolute path or other suffix reaches the disk.
_PATH = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*\.sql$")
_NAME = r"[a-z_][a-z0-9_]*"
_NAME_RE = re.compile(_NAME)
_FORMATTER = string.Formatter()
_DECLARATION = re.compile(rf"^-- slot (?P<name>{_NAME}): (?P<kind>\S+)$")
_SLOT_LINE = re.compile(r"^\s*--\s*slot\b")
_KINDS = {slot.value for slot in Slot}


@dataclass(frozen=True)
class SqlFile:
    """One file under `sql/`: the slots its header declares and the SQL below the header."""

    path: str
    slots: Mapping[str, Slot]
    body: str


@cache
def sql_file(relative_path: str) -> SqlFile:
    """The file at `sql/<relative_path>`, its header parsed and checked against its body; read once."""
    if not isinstance(relative_path, str) or not _PATH.fullmatch(relative_path):
        raise SqlTemplateError(
            f"{relative_path!r} is not a path under sql/ like 'views/semantic/customer_360.sql'"
        )
    try:
        lines = (SQL_DIR / relative_path).read_text().splitlines(keepends=True)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise SqlTemplateError(f"sql/{relative_path} does not exist") from None
    slots = _declared(relative_path, lines)
    body = "".join(lines[len(slots) :])
    if "slot" in body and (stray := _stray_declaration(lines, len(slots))):
        raise SqlTemplateError(
            f"sql/{relative_path} line {stray}: a slot is declared at the top, before any SQL"
        )
    used = _placeholders(relative_path, body)
    if undeclared := sorted(used - set(slots)):
        raise SqlTemplateError(
            f"sql/{relative_path} uses {undeclared} but declares no such slot (-- slot <name>: <kind>)"
        )
    if unused := sorted(set(slots) - used):
        raise SqlTemplateError(f"sql/{relative_path} declares slots {unused} its SQL never uses")
    return SqlFile(relative_path, MappingProxyType(slots), body)


def render_sql(relative_path: str, **values: SqlValue) -> str:
    """Fills a file's slots, each value checked against its kind; keys the file does not declare are ignored."""
    file = sql_file(relative_path)
    missing = sorted(set(file.slots) - set(values))
    if missing:
        raise SqlTemplateError(f"sql/{relative_path} needs {missing}; given {sorted(values)}")
    rendered = {key: _write(relative_path, key, slot, values[key]) for key, slot in file.slots.items()}
    return file.body.format(**rendered).strip()


def render_fragment(relative_path: str, **values: SqlValue) -> SqlFragment:
    """A file rendered for use inside another file's FRAGMENT slot."""
    return SqlFragment(render_sql(relative_path, **values))


def join_fragments(separator: str, fragments: Iterable[SqlFragment]) -> SqlFragment:
    """Fragments joined by a fixed keyword, e.g. the key columns' matches by AND, or by nothing but space."""
    if separator.strip() not in ("AND", "OR", ",", ""):
        raise SqlTemplateError(f"fragments are joined by AND, OR, a comma or space, not {separator!r}")
    return SqlFragment(separator.join(fragments))


def render_union_all(relative_path: str, branches: Iterable[Mapping[str, SqlValue]]) -> str:
    """One rendered SELECT per branch joined by UNION ALL: how one view covers every catalog table."""
    rendered = [render_sql(relative_path, **branch) for branch in branches]
    if not rendered:
        raise SqlTemplateError(f"sql/{relative_path}: a UNION ALL needs at least one branch")
    return "\nUNION ALL\n".join(rendered)


def _declared(path: str, lines: list[str]) -> dict[str, Slot]:
    """The header: the file's leading `-- slot <name>: <kind>` lines, one per slot."""
    slots: dict[str, Slot] = {}
    for number, line in enumerate(lines, 1):
        if not _SLOT_LINE.match(line):
            break
        declaration = _DECLARATION.match(line.rstrip("\n"))
        if declaration is None:
            raise SqlTemplateError(
                f"sql/{path} line {number}: {line.strip()!r} is not '-- slot <name>: <kind>'"
            )
        name, kind = declaration["name"], declaration["kind"]
        if kind not in _KINDS:
            raise SqlTemplateError(
                f"sql/{path} line {number}: slot {name} is of kind {kind!r}, not one of {sorted(_KINDS)}"
            )
        if name in slots:
            raise SqlTemplateError(f"sql/{path} line {number}: slot {name} is declared twice")
        slots[name] = Slot(kind)
    return slots


def _stray_declaration(lines: list[str], header: int) -> int:
    """The number of the first line below the header that looks like a slot declaration, else 0."""
    return next((n for n, line in enumerate(lines[header:], header + 1) if _SLOT_LINE.match(line)), 0)


def _placeholders(path: str, body: str) -> set[str]:
    """The `{name}` placeholders the SQL uses; `{{` and `}}` are literal braces."""
    try:
        fields = [
            (field, spec or conversion)
            for _, field, spec, conversion in _FORMATTER.parse(body)
            if field is not None
        ]
    except ValueError as error:
        raise SqlTemplateError(f"sql/{path}: {error} (a literal brace is written {{{{ or }}}})") from None
    names = {field for field, _ in fields}
    if odd := sorted(field for field, extra in fields if extra or not _NAME_RE.fullmatch(field)):
        raise SqlTemplateError(f"sql/{path}: placeholders {odd} are not plain {{name}} slots")
    return names


def _write(path: str, key: str, slot: Slot, value: SqlValue) -> str:
    try:
        return write_value(slot, value)
    except SlotRefused as refused:
        raise SqlTemplateError(f"sql/{path}: {key}={value!r} is not {refused.expected}") from None
