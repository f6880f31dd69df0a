"""SNOWFLAKE.ACCOUNT_USAGE on the emulator: the views the audit trail reads, shaped as Snowflake documents them.

Only the columns the audit SQL reads, with their documented types (Snowflake SQL reference, Account Usage:
ACCESS_HISTORY, LOGIN_HISTORY, QUERY_HISTORY, GRANTS_TO_ROLES, GRANTS_TO_USERS, CREDENTIALS views). The real
views are shared read-only views; here they are tables a test fills with the rows the real ones would hold.
"""

import json
from typing import Any

ACCOUNT_USAGE: dict[str, dict[str, str]] = {
    "ACCESS_HISTORY": {
        "QUERY_ID": "VARCHAR",
        "QUERY_START_TIME": "TIMESTAMP_LTZ",
        "USER_NAME": "VARCHAR",
        "DIRECT_OBJECTS_ACCESSED": "ARRAY",
        "BASE_OBJECTS_ACCESSED": "ARRAY",
    },
    "LOGIN_HISTORY": {
        "EVENT_ID": "NUMBER",
        "EVENT_TIMESTAMP": "TIMESTAMP_LTZ",
        "EVENT_TYPE": "VARCHAR",
        "USER_NAME": "VARCHAR",
        "CLIENT_IP": "VARCHAR",
        "REPORTED_CLIENT_TYPE": "VARCHAR",
        "FIRST_AUTHENTICATION_FACTOR": "VARCHAR",
        "SECOND_AUTHENTICATION_FACTOR": "VARCHAR",
        "IS_SUCCESS": "VARCHAR",
        "ERROR_CODE": "NUMBER",
        "ERROR_MESSAGE": "VARCHAR",
    },
    "QUERY_HISTORY": {
        "QUERY_ID": "VARCHAR",
        "QUERY_TEXT": "VARCHAR",
        "DATABASE_NAME": "VARCHAR",
        "SCHEMA_NAME": "VARCHAR",
        "QUERY_TYPE": "VARCHAR",
        "USER_NAME": "VARCHAR",
        "ROLE_NAME": "VARCHAR",
        "EXECUTION_STATUS": "VARCHAR",
        "ERROR_MESSAGE": "VARCHAR",
        "START_TIME": "TIMESTAMP_LTZ",
    },
    "GRANTS_TO_ROLES": {
        "CREATED_ON": "TIMESTAMP_LTZ",
        "MODIFIED_ON": "TIMESTAMP_LTZ",
        "PRIVILEGE": "VARCHAR",
        "GRANTED_ON": "VARCHAR",
        "NAME": "VARCHAR",
        "TABLE_CATALOG": "VARCHAR",
        "TABLE_SCHEMA": "VARCHAR",
        "GRANTED_TO": "VARCHAR",
        "GRANTEE_NAME": "VARCHAR",
        "GRANT_OPTION": "BOOLEAN",
        "GRANTED_BY": "VARCHAR",
        "DELETED_ON": "TIMESTAMP_LTZ",
    },
    "GRANTS_TO_USERS": {
        "CREATED_ON": "TIMESTAMP_LTZ",
        "DELETED_ON": "TIMESTAMP_LTZ",
        "ROLE": "VARCHAR",
        "GRANTED_TO": "VARCHAR",
        "GRANTEE_NAME": "VARCHAR",
        "GRANTED_BY": "VARCHAR",
    },
    "CREDENTIALS": {
        "CREDENTIAL_ID": "NUMBER",
        "NAME": "VARCHAR",
        "USER_NAME": "VARCHAR",
        "TYPE": "VARCHAR",
        "DOMAIN": "VARCHAR",
        "COMMENT": "VARCHAR",
        "STATUS": "VARCHAR",
        "ADDITIONAL_DETAILS": "OBJECT",
        "CREATED_BY": "VARCHAR",
        "LAST_ALTERED_BY": "VARCHAR",
        "CREATED_ON": "TIMESTAMP_LTZ",
        "LAST_USED_ON": "TIMESTAMP_LTZ",
        "LAST_ALTERED": "TIMESTAMP_LTZ",
        "EXPIRATION_DATE": "TIMESTAMP_LTZ",
    },
}


def create_account_usage(cursor: Any) -> None:
    """The SNOWFLAKE database, its ACCOUNT_USAGE schema and one empty table per view the audit reads."""
    cursor.execute("CREATE DATABASE IF NOT EXISTS SNOWFLAKE")
    cursor.execute("CREATE SCHEMA IF NOT EXISTS SNOWFLAKE.ACCOUNT_USAGE")
    for view, columns in ACCOUNT_USAGE.items():
        body = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        cursor.execute(f"CREATE OR REPLACE TABLE SNOWFLAKE.ACCOUNT_USAGE.{view} ({body})")


def insert(cursor: Any, view: str, row: dict[str, Any]) -> None:
    """One row into an emulated view; a column the view does not document fails loudly."""
    unknown = sorted(set(row) - set(ACCOUNT_USAGE[view]))
    assert not unknown, f"{view} has no columns {unknown}"
    names = list(row)
    values = ", ".join(_value(row[name], ACCOUNT_USAGE[view][name]) for name in names)
    params = [
        json.dumps(row[name]) if ACCOUNT_USAGE[view][name] in ("ARRAY", "OBJECT") else row[name]
        for name in names
        if not isinstance(row[name], _Sql)
    ]
    cursor.execute(f"INSERT INTO SNOWFLAKE.ACCOUNT_USAGE.{view} ({', '.join(names)}) SELECT {values}", params)


class _Sql(str):
    """A SQL expression written as is, such as DATEADD(...) relative to now."""


def sql(expression: str) -> _Sql:
    """A value computed by the emulator, e.g. `sql("DATEADD(day, -3, CURRENT_TIMESTAMP())")`."""
    return _Sql(expression)


def _value(value: Any, kind: str) -> str:
    if isinstance(value, _Sql):
        return value
    return "PARSE_JSON(%s)" if kind in ("ARRAY", "OBJECT") else "%s"
