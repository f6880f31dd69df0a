"""The translation memo changes nothing fakesnow answers: a repeated statement gives what its first run gave."""

from collections.abc import Iterator
from typing import Any

import pytest
from fakesnow.instance import FakeSnow
from snowflake.connector import ProgrammingError

from tests.sql.translation_memo import memoize_translation, translations


@pytest.fixture
def cursor() -> Iterator[Any]:
    """A fresh fakesnow session with two databases, qmark binds, the memo installed."""
    memoize_translation()
    instance = FakeSnow()
    connection = instance.connect(database="MEMO_A", schema="S", paramstyle="qmark")
    cursor = connection.cursor()
    for database in ("MEMO_A", "MEMO_B"):
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {database}.S")
        cursor.execute(f"CREATE TABLE {database}.S.T (ID NUMBER, NAME VARCHAR)")
    cursor.execute("USE DATABASE MEMO_A")
    cursor.execute("USE SCHEMA S")
    yield cursor
    instance.duck_conn.close()


def _rows(cursor: Any, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    return cursor.fetchall()


def test_a_repeated_insert_with_new_binds_writes_each_time_and_counts_its_rows(cursor) -> None:
    before = translations()
    for key in range(3):
        cursor.execute("INSERT INTO T (ID, NAME) SELECT ?, ? UNION ALL SELECT ?, ?", [key, "a", key, "b"])
        assert cursor.rowcount == 2
    assert translations() == before + 1  # translated once, run three times
    assert _rows(cursor, "SELECT ID, COUNT(*) FROM T GROUP BY ID ORDER BY ID") == [(0, 2), (1, 2), (2, 2)]


def test_the_same_text_in_another_database_reads_that_database(cursor) -> None:
    cursor.execute("INSERT INTO MEMO_B.S.T VALUES (7, 'b')")
    assert _rows(cursor, "SELECT ID FROM T") == []
    cursor.execute("USE DATABASE MEMO_B")
    cursor.execute("USE SCHEMA S")
    assert _rows(cursor, "SELECT ID FROM T") == [(7,)]


def test_a_repeated_merge_reports_its_own_counts_each_run(cursor) -> None:
    merge = (
        "MERGE INTO T USING (SELECT ? AS ID, ? AS NAME) AS S ON T.ID = S.ID "
        "WHEN MATCHED THEN UPDATE SET NAME = S.NAME WHEN NOT MATCHED THEN INSERT (ID, NAME) VALUES (S.ID, S.NAME)"
    )
    assert _rows(cursor, merge, [1, "new"]) == [(1, 0)]
    assert _rows(cursor, merge, [1, "changed"]) == [(0, 1)]
    assert _rows(cursor, "SELECT ID, NAME FROM T") == [(1, "changed")]


def test_ddl_is_translated_afresh_and_sees_the_tables_as_they_are_now(cursor) -> None:
    before = translations()
    cursor.execute("CREATE OR REPLACE TABLE C AS SELECT * FROM T")
    cursor.execute("ALTER TABLE T ADD COLUMN EXTRA VARCHAR")
    cursor.execute("CREATE OR REPLACE TABLE C AS SELECT * FROM T")
    assert translations() == before
    assert [row[0] for row in _rows(cursor, "DESCRIBE TABLE C")] == ["ID", "NAME", "EXTRA"]


def test_identifier_binds_are_never_reused(cursor) -> None:
    cursor.execute("INSERT INTO MEMO_B.S.T VALUES (7, 'b')")
    query = "SELECT COUNT(*) FROM IDENTIFIER(?)"
    assert _rows(cursor, query, ["MEMO_A.S.T"]) == [(0,)]
    assert _rows(cursor, query, ["MEMO_B.S.T"]) == [(1,)]


def test_an_error_is_raised_on_every_run_not_only_the_first(cursor) -> None:
    for _ in range(2):
        with pytest.raises(ProgrammingError, match="NOPE"):
            cursor.execute("SELECT * FROM NOPE")


def test_a_session_variable_is_read_at_each_run_not_from_the_first_translation(cursor) -> None:
    # The memo is sound for variables only because fakesnow inlines them into the text before it parses:
    # the same written statement under a new value is another text, never the first run's translation.
    cursor.execute("INSERT INTO T VALUES (1, 'x'), (2, 'y')")
    seen = []
    for value in (1, 2, 1):
        cursor.execute(f"SET V = {value}")
        seen.append(_rows(cursor, "SELECT ID, NAME FROM T WHERE ID = $V"))
    assert seen == [[(1, "x")], [(2, "y")], [(1, "x")]]
