"""A memo of fakesnow's Snowflake-to-DuckDB translation: the gate's statements repeat, their translation need not.

fakesnow 0.12.1 runs a statement as parse_one(text), a check that the session has a database and schema,
_transform_explode (a MERGE becomes several statements), _transform of each (about eighty sqlglot rewrites,
~11 ms a statement) and _execute (DuckDB, results cache, transactions, row counts). For a query or DML
(SELECT, set operations, INSERT, UPDATE, DELETE, MERGE) the rewrites are a function of the text and the
session's database and schema only: variables and pyformat binds are inlined into the text before parsing,
qmark binds stay placeholders, and the rewrites that read anything else apply to other statements
(create_table_as reads DuckDB's catalog for CREATE ... AS SELECT *, autoincrement names a random sequence,
update_variables records SET/UNSET, the stage and SHOW rewrites read the connection). So those statements'
translation is reused, keyed by text, database and schema; the session check and _execute with all its side
effects still run every time. Everything else, and an IDENTIFIER(...) (whose rewrite consumes a bind), is
translated afresh as fakesnow does, from a copy of the parse. Parsing Snowflake text is a function of the
text alone, so a parse is reused too. Cached trees are never mutated: translation starts from a copy, and
fakesnow's other uses (the session check, describe-only, the results cache, DESCRIBE) read them or copy
before they transform.
"""

from typing import Any

import fakesnow.cursor as fakesnow_cursor
from sqlglot import exp

_TEXT = "fakesnow_memo_text"
_TRANSLATED = "fakesnow_memo_translated"
_REUSABLE = (exp.Query, exp.Insert, exp.Update, exp.Delete, exp.Merge)
_PARSES: dict[str, exp.Expr] = {}
_TRANSLATIONS: dict[tuple[str, str | None, str | None], list[exp.Expr]] = {}


def translations() -> int:
    """How many distinct statements have a memoized translation (a contract test reads it)."""
    return len(_TRANSLATIONS)


def _reusable(expression: exp.Expr) -> bool:
    """A query or DML that binds no identifier: its translation depends on text, database and schema only."""
    return isinstance(expression, _REUSABLE) and not any(
        isinstance(table.this, exp.DynamicIdentifier)
        or (isinstance(table.this, exp.Anonymous) and str(table.this.this).upper() == "IDENTIFIER")
        for table in expression.find_all(exp.Table)
    )


def _generated_once(statement: exp.Expr) -> Any:
    """The statement's `sql`, with the DuckDB text _execute asks for generated once (the tree never changes).

    An attribute of this instance only: a copy (sqlglot's __deepcopy__ copies args and meta) generates anew.
    """
    generate, duckdb_text = statement.sql, statement.sql(dialect="duckdb")

    def sql(dialect: Any = None, **options: Any) -> str:
        return duckdb_text if dialect == "duckdb" and not options else generate(dialect, **options)

    return sql


def memoize_translation() -> None:
    """Patches fakesnow's cursor to reuse the translation of repeated queries and DML. Idempotent."""
    cursor_class = fakesnow_cursor.FakeSnowflakeCursor
    if getattr(cursor_class._transform_explode, _TRANSLATED, False):
        return
    parse, explode, transform = (
        fakesnow_cursor.parse_one,
        cursor_class._transform_explode,
        cursor_class._transform,
    )

    def parse_one(command: str) -> exp.Expr:
        if command not in _PARSES:
            _PARSES[command] = parse(command)
            _PARSES[command].meta[_TEXT] = command
        return _PARSES[command]

    def transform_explode(self: Any, expression: exp.Expr) -> list[exp.Expr]:
        text = expression.meta.get(_TEXT)
        if text is None or not _reusable(expression):
            return explode(self, expression.copy())
        key = (text, self._conn.database, self._conn.schema)
        if key not in _TRANSLATIONS:
            translated = [transform(self, statement, None) for statement in explode(self, expression.copy())]
            for statement in translated:
                statement.meta[_TRANSLATED] = True
                statement.sql = _generated_once(statement)  # type: ignore[method-assign]
            _TRANSLATIONS[key] = translated
        return _TRANSLATIONS[key]

    def transform_once(self: Any, expression: exp.Expr, params: Any) -> exp.Expr:
        if expression.meta.get(_TRANSLATED):
            return expression
        return transform(self, expression, params)

    setattr(transform_explode, _TRANSLATED, True)
    fakesnow_cursor.parse_one = parse_one
    cursor_class._transform_explode = transform_explode
    cursor_class._transform = transform_once
