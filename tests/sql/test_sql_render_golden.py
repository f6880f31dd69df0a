"""Every SQL file renders byte for byte as it did before its slots moved into the file (a one-off golden)."""

import json
from pathlib import Path

import pytest

from catalog.sql_files import SQL_FILES, Slot, SqlFragment, SqlLiteral, SqlValue, render_sql

GOLDEN = Path(__file__).parent / "golden" / "rendered.json"


def _value(name: str, slot: Slot) -> SqlValue:
    """A valid value per slot kind, distinct per slot name so a swapped slot shows."""
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


def rendered() -> dict[str, str]:
    """Each file rendered with its sample values."""
    return {
        path: render_sql(path, **{key: _value(key, slot) for key, slot in file.slots.items()})
        for path, file in sorted(SQL_FILES.items())
    }


@pytest.mark.parametrize("path", sorted(SQL_FILES))
def test_each_file_renders_as_before(path):
    assert rendered_once()[path] == json.loads(GOLDEN.read_text())[path]


def test_the_golden_covers_every_file():
    assert sorted(json.loads(GOLDEN.read_text())) == sorted(SQL_FILES)


_CACHE: dict[str, str] = {}


def rendered_once() -> dict[str, str]:
    """rendered(), computed once for the module."""
    if not _CACHE:
        _CACHE.update(rendered())
    return _CACHE


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(rendered(), indent=1, sort_keys=True) + "\n")
