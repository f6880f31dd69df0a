"""A stand-in for IS_ROLE_IN_SESSION, which fakesnow lacks: the session's roles are rows of a table.

Snowflake's IS_ROLE_IN_SESSION(r) is true when r is the primary role, an active secondary role, or a role
either of them inherits (IS_ROLE_IN_SESSION docs). The emulator has no roles, so a test writes the session's
whole set (primary, secondary and inherited roles, expanded by the test) into FS_SESSION_ROLES, and a DuckDB
macro of the same name answers from it; the policy SQL runs unchanged.
"""

from typing import Any

from sqlglot import exp, parse_one

SESSION_ROLES = "FS_SESSION_ROLES"


class SessionRoles:
    """The emulated session's roles, settable per test."""

    def __init__(self, connection: Any, schema: str) -> None:
        self._cursor = connection.cursor()
        self._table = f"{connection.database}.{schema}.{SESSION_ROLES}"
        self._cursor.execute(f"CREATE TABLE IF NOT EXISTS {self._table} (ROLE_NAME VARCHAR)")
        connection._duck_conn.execute(
            f"CREATE OR REPLACE MACRO is_role_in_session(r) AS (r IN (SELECT ROLE_NAME FROM {self._table}))"
        )

    def use(self, *roles: str) -> None:
        """The session now holds exactly these roles (primary, secondary and inherited)."""
        self._cursor.execute(f"DELETE FROM {self._table}")
        for role in roles:
            self._cursor.execute(f"INSERT INTO {self._table} VALUES (%s)", (role,))


def bind_argument(body: str, argument: str, column: str) -> str:
    """The policy body with its argument bound to the protected column, as Snowflake binds it on attach."""
    tree = parse_one(body, read="snowflake")
    bound = tree.transform(
        lambda node: (
            exp.column(column, table="t")
            if isinstance(node, exp.Column) and node.name.upper() == argument and not node.table
            else node
        )
    )
    return bound.sql(dialect="snowflake")
