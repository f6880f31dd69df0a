"""The SQL loader: a malformed header, body or path is refused when the file is loaded, and each is read once."""

import re
from pathlib import Path

import pytest

import catalog.sql_files
from catalog.sql_files import Slot, SqlTemplateError, render_sql, sql_file

REPO = catalog.sql_files.SQL_DIR.parent


@pytest.mark.parametrize(
    "path",
    [
        "../pyproject.toml",
        "/etc/passwd",
        "views/../../pyproject.toml",
        "views/semantic/customer_360.SQL",
        "",
        # A real file's path with something around it: a trailing newline ($ alone would let it by), a dot
        # segment, an empty segment; and what is not a string at all.
        "views/semantic/customer_360.sql\n",
        "./views/semantic/customer_360.sql",
        "views//semantic/customer_360.sql",
        None,
        b"views/semantic/customer_360.sql",
    ],
)
def test_a_path_outside_sql_is_refused_before_the_disk_is_read(path, monkeypatch: pytest.MonkeyPatch):
    looked_up: list[Path] = []
    # The disk is unpatched again before anything is reported, so a path let through fails the test
    # cleanly (a pytest.fail inside Path itself broke pytest's own report).
    with monkeypatch.context() as patched:
        for looks in ("is_file", "exists", "open", "read_text"):
            patched.setattr(Path, looks, lambda self, *_, **__: looked_up.append(self))
        with pytest.raises(SqlTemplateError, match="is not a path under sql/"):
            render_sql(path)
    assert looked_up == []


def test_a_missing_file_is_refused():
    with pytest.raises(SqlTemplateError, match=re.escape("sql/views/semantic/secret.sql does not exist")):
        render_sql("views/semantic/secret.sql")


@pytest.fixture
def scratch_sql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Writes one file into a scratch sql/ and loads it with the real loader."""
    monkeypatch.setattr(catalog.sql_files, "SQL_DIR", tmp_path)
    sql_file.cache_clear()

    def load(text: str):
        (tmp_path / "scratch.sql").write_text(text)
        sql_file.cache_clear()
        return sql_file("scratch.sql")

    yield load
    sql_file.cache_clear()


def test_a_new_file_needs_only_its_header(scratch_sql):
    file = scratch_sql(
        "-- slot table: identifier\n-- slot days: integer\n-- Why it is so.\nSELECT {days} FROM {table}\n"
    )
    assert file.slots == {"table": Slot.IDENTIFIER, "days": Slot.INTEGER}
    assert file.body == "-- Why it is so.\nSELECT {days} FROM {table}\n"
    assert render_sql("scratch.sql", table="DB.S.T", days=3) == "-- Why it is so.\nSELECT 3 FROM DB.S.T"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("SELECT {table}\n", "uses ['table'] but declares no such slot"),
        (
            "-- slot table: identifier\n-- slot days: integer\nSELECT {table}\n",
            "declares slots ['days'] its SQL",
        ),
        ("-- slot table: ident\nSELECT {table}\n", "slot table is of kind 'ident', not one of ['fragment'"),
        (
            "-- slot table identifier\nSELECT {table}\n",
            "line 1: '-- slot table identifier' is not '-- slot <name>: <kind>'",
        ),
        ("-- slot Table: identifier\nSELECT {Table}\n", "is not '-- slot <name>: <kind>'"),
        ("-- slot t: identifier\n-- slot t: integer\nSELECT {t}\n", "line 2: slot t is declared twice"),
        ("-- slot t: identifier\nSELECT {t}\n-- slot u: integer\n", "line 3: a slot is declared at the top"),
        (
            "-- slot t: identifier\nSELECT {t.__class__}\n",
            "placeholders ['t.__class__'] are not plain {name} slots",
        ),
        ("-- slot t: identifier\nSELECT {t!r}\n", "placeholders ['t'] are not plain {name} slots"),
        ("-- slot t: identifier\nSELECT {t:>9}\n", "placeholders ['t'] are not plain {name} slots"),
        ("SELECT {} FROM {0}\n", "placeholders ['', '0'] are not plain {name} slots"),
        ("SELECT '{' FROM T\n", "a literal brace is written {{ or }}"),
    ],
)
def test_a_malformed_header_or_body_is_refused_when_the_file_is_loaded(scratch_sql, text, error):
    with pytest.raises(SqlTemplateError, match=re.escape(error)):
        scratch_sql(text)


def test_each_file_is_read_and_parsed_once(scratch_sql, monkeypatch: pytest.MonkeyPatch):
    reads: list[Path] = []
    read_text = Path.read_text
    monkeypatch.setattr(
        Path, "read_text", lambda self, *a, **k: reads.append(self) or read_text(self, *a, **k)
    )
    file = scratch_sql("-- slot t: identifier\nSELECT * FROM {t}\n")
    rendered = [render_sql("scratch.sql", t=f"T{n}") for n in range(50)]
    assert len(reads) == 1 and sql_file("scratch.sql") is file and rendered[-1] == "SELECT * FROM T49"


def test_the_docs_list_every_slot_kind():
    page = (REPO / "docs" / "knowledge.md").read_text()
    section = page[page.index("## Adding a SQL file") :]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M)) == {slot.value for slot in Slot}


def test_a_loaded_files_slots_cannot_be_retyped_by_a_caller():
    file = sql_file("warehouses/assign_monitor.sql")
    with pytest.raises(TypeError):
        file.slots["warehouse"] = Slot.FRAGMENT  # type: ignore[index]
    with pytest.raises(SqlTemplateError, match="is not a plain Snowflake identifier"):
        render_sql("warehouses/assign_monitor.sql", warehouse="W; DROP TABLE T", monitor="M")
