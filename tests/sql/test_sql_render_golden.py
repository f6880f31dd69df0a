"""Every SQL file renders byte for byte as it did before its slots moved into the file (a one-off golden)."""

import json
from pathlib import Path

import pytest

from catalog.sql_files import render_sql, sql_file
from tests.sql.test_sql_files import SQL_PATHS, valid_value

GOLDEN = Path(__file__).parent / "golden" / "rendered.json"


def rendered() -> dict[str, str]:
    """Each file rendered with its sample values."""
    return {
        path: render_sql(path, **{key: valid_value(key, slot) for key, slot in sql_file(path).slots.items()})
        for path in SQL_PATHS
    }


@pytest.mark.parametrize("path", SQL_PATHS)
def test_each_file_renders_as_before(path):
    assert rendered_once()[path] == json.loads(GOLDEN.read_text())[path]


def test_the_golden_covers_every_file():
    assert sorted(json.loads(GOLDEN.read_text())) == SQL_PATHS


_CACHE: dict[str, str] = {}


def rendered_once() -> dict[str, str]:
    """rendered(), computed once for the module."""
    if not _CACHE:
        _CACHE.update(rendered())
    return _CACHE


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(rendered(), indent=1, sort_keys=True) + "\n")
