"""The audit views and credential alerts on the emulator, over ACCOUNT_USAGE as Snowflake documents it."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakesnow.instance import FakeSnow
from snowflake.connector import DictCursor

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.quality_gate.objects import DECISIONS
from catalog.quality_gate.tables import GATE_TABLES
from catalog.security import AuditScope, audit_view_statements, credential_alerts, pii_columns
from models.enums import AlertChannel
from models.naming import OPS_SCHEMA, Naming
from models.security import AuthenticationMethod
from tests.sql.account_usage import create_account_usage, insert, sql

DB = "SOPHIA_AI_DEV"
NAMING = Naming(prefix=DB, database=DB)
AIRBYTE, APP, DEPLOYER, STRANGER = "SOPHIA_AI_DEV_AIRBYTE_SVC", "SOPHIA_AI_DEV_APP_SVC", "DEPLOYER", "SOMEONE"
SCOPE = AuditScope(
    database=DB,
    roles=["SOPHIA_AI_DEV_APP_ROLE", "SOPHIA_AI_DEV_ADMIN_ROLE", "SOPHIA_AI_DEV_AUDITOR_ROLE"],
    users=[AIRBYTE, APP, DEPLOYER],
    program_roles=["SECURITYADMIN", "USERADMIN", "SYSADMIN", "SOPHIA_AI_DEV_ADMIN_ROLE"],
    declared_methods={
        AIRBYTE: [AuthenticationMethod.KEYPAIR],
        APP: [AuthenticationMethod.KEYPAIR, AuthenticationMethod.PROGRAMMATIC_ACCESS_TOKEN],
        DEPLOYER: [AuthenticationMethod.PROGRAMMATIC_ACCESS_TOKEN],
    },
    max_key_age_days=180,
    decisions=f"{DB}.{OPS_SCHEMA}.QUALITY_GATE_DECISIONS",
)
AGO = "DATEADD(day, -{0}, CURRENT_TIMESTAMP())"
AHEAD = "DATEADD(day, {0}, CURRENT_TIMESTAMP())"


class Audit:
    """ACCOUNT_USAGE emulated, the audit views created from the stack's SQL, and helpers to read them."""

    def __init__(self, connection: Any) -> None:
        self.cursor = connection.cursor(DictCursor)
        self.cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {DB}.{OPS_SCHEMA}")
        create_account_usage(self.cursor)
        self.cursor.execute(GATE_TABLES[DECISIONS].create_table_sql(f"{DB}.{OPS_SCHEMA}"))
        for view, statement in audit_view_statements(
            SCOPE, pii_columns(FOUNDATIONAL_CATALOG, NAMING)
        ).items():
            self.cursor.execute(f"CREATE OR REPLACE VIEW {DB}.{OPS_SCHEMA}.{view} AS {statement}")
        self.alerts = {
            spec.name: spec.condition
            for spec in credential_alerts(NAMING, "INTEGRATION", AlertChannel.EMAIL, 14, 26)
        }

    def rows(self, view: str) -> list[dict[str, Any]]:
        self.cursor.execute(f"SELECT * FROM {DB}.{OPS_SCHEMA}.{view}")
        return self.cursor.fetchall()

    def alert(self, name: str) -> list[dict[str, Any]]:
        self.cursor.execute(self.alerts[name])
        return self.cursor.fetchall()


@pytest.fixture(scope="module")
def shared_audit() -> Iterator[Audit]:
    instance = FakeSnow()
    yield Audit(instance.connect(database=DB, schema=OPS_SCHEMA))
    instance.duck_conn.close()


@pytest.fixture
def audit(shared_audit: Audit) -> Audit:
    create_account_usage(shared_audit.cursor)  # empties every emulated view
    return shared_audit


def _read(columns: list[str], table: str = "CUSTOMERS", database: str = DB) -> list[dict[str, Any]]:
    return [
        {
            "objectName": f"{database}.FOUNDATIONAL_KNOWLEDGE.{table}",
            "objectDomain": "Table",
            "columns": [{"columnName": column} for column in columns],
        }
    ]


def test_pii_reads_lists_personal_columns_of_the_stack_only(audit: Audit) -> None:
    insert(audit.cursor, "ACCESS_HISTORY", {"QUERY_ID": "q1", "QUERY_START_TIME": sql(AGO.format(1)),
        "USER_NAME": APP, "BASE_OBJECTS_ACCESSED": _read(["WORK_EMAIL", "JOB_TITLE"], "EMPLOYEES")})  # fmt: skip
    insert(audit.cursor, "ACCESS_HISTORY", {"QUERY_ID": "q2", "QUERY_START_TIME": sql(AGO.format(1)),
        "USER_NAME": STRANGER, "BASE_OBJECTS_ACCESSED": _read(["WORK_EMAIL"], "EMPLOYEES", "OTHER_DB")})  # fmt: skip
    rows = audit.rows("AUDIT_PII_READS")
    assert [(r["QUERY_ID"], r["USER_NAME"], r["COLUMN_NAME"]) for r in rows] == [("q1", APP, "WORK_EMAIL")]
    assert rows[0]["OBJECT_NAME"] == f"{DB}.FOUNDATIONAL_KNOWLEDGE.EMPLOYEES"


def _login(user: str, factor: str, days_ago: float = 0.1, success: str = "YES") -> dict[str, Any]:
    return {"EVENT_TIMESTAMP": sql(f"DATEADD(minute, -{int(days_ago * 1440)}, CURRENT_TIMESTAMP())"),
            "USER_NAME": user, "CLIENT_IP": "192.0.2.10", "REPORTED_CLIENT_TYPE": "PYTHON_DRIVER",
            "FIRST_AUTHENTICATION_FACTOR": factor, "IS_SUCCESS": success}  # fmt: skip


def test_logins_are_the_stack_users_and_say_whether_the_method_was_declared(audit: Audit) -> None:
    for row in (
        _login(AIRBYTE, "RSA_KEYPAIR"),
        _login(AIRBYTE, "PASSWORD", success="NO"),
        _login(APP, "PROGRAMMATIC_ACCESS_TOKEN"),
        _login(DEPLOYER, "RSA_KEYPAIR"),
        _login(STRANGER, "PASSWORD"),
    ):
        insert(audit.cursor, "LOGIN_HISTORY", row)
    seen = {
        (r["USER_NAME"], r["FIRST_AUTHENTICATION_FACTOR"]): r["DECLARED_METHOD"]
        for r in audit.rows("AUDIT_LOGINS")
    }
    assert seen == {
        (AIRBYTE, "RSA_KEYPAIR"): True,
        (AIRBYTE, "PASSWORD"): False,
        (APP, "PROGRAMMATIC_ACCESS_TOKEN"): True,
        (DEPLOYER, "RSA_KEYPAIR"): False,  # the deployer signs in by token only
    }


def test_undeclared_login_alert_fires_on_recent_undeclared_sign_ins_failed_ones_included(
    audit: Audit,
) -> None:
    for row in (
        _login(AIRBYTE, "RSA_KEYPAIR"),
        _login(AIRBYTE, "PASSWORD", success="NO"),
        _login(APP, "PASSWORD", days_ago=3),  # older than the 26-hour window: reported by an earlier run
        _login(STRANGER, "PASSWORD"),
    ):
        insert(audit.cursor, "LOGIN_HISTORY", row)
    fired = audit.alert("UNDECLARED_LOGINS")
    assert [(r["USER_NAME"], r["FIRST_AUTHENTICATION_FACTOR"], r["IS_SUCCESS"]) for r in fired] == [
        (AIRBYTE, "PASSWORD", "NO")
    ]


def test_queries_are_those_in_the_database_as_its_roles_or_by_its_users(audit: Audit) -> None:
    base = {"START_TIME": sql(AGO.format(1)), "EXECUTION_STATUS": "SUCCESS", "QUERY_TYPE": "SELECT"}
    for query, database, role, user in (
        ("in-db", DB, "SOMEROLE", STRANGER),
        ("as-role", "OTHER", "SOPHIA_AI_DEV_APP_ROLE", STRANGER),
        ("by-user", None, "PUBLIC", AIRBYTE),
        ("elsewhere", "OTHER", "PUBLIC", STRANGER),
    ):
        insert(audit.cursor, "QUERY_HISTORY",
               {**base, "QUERY_ID": query, "DATABASE_NAME": database, "ROLE_NAME": role, "USER_NAME": user})  # fmt: skip
    assert sorted(r["QUERY_ID"] for r in audit.rows("AUDIT_QUERIES")) == ["as-role", "by-user", "in-db"]


def test_grants_flag_those_made_outside_the_program(audit: Audit) -> None:
    grant = {
        "CREATED_ON": sql(AGO.format(1)),
        "PRIVILEGE": "SELECT",
        "GRANTED_ON": "TABLE",
        "GRANTED_TO": "ROLE",
    }
    insert(audit.cursor, "GRANTS_TO_ROLES", {**grant, "NAME": "CUSTOMERS", "TABLE_CATALOG": DB,
        "GRANTEE_NAME": "SOPHIA_AI_DEV_APP_ROLE", "GRANTED_BY": "SECURITYADMIN"})  # fmt: skip
    insert(audit.cursor, "GRANTS_TO_ROLES", {**grant, "NAME": "CUSTOMERS", "TABLE_CATALOG": DB,
        "GRANTEE_NAME": "ANALYST", "GRANTED_BY": "ACCOUNTADMIN"})  # fmt: skip
    insert(audit.cursor, "GRANTS_TO_ROLES", {**grant, "NAME": "T", "TABLE_CATALOG": "OTHER",
        "GRANTEE_NAME": "ANALYST", "GRANTED_BY": "ACCOUNTADMIN"})  # fmt: skip
    insert(audit.cursor, "GRANTS_TO_USERS", {"CREATED_ON": sql(AGO.format(1)), "ROLE": "SOPHIA_AI_DEV_ADMIN_ROLE",
        "GRANTED_TO": "USER", "GRANTEE_NAME": STRANGER, "GRANTED_BY": None})  # fmt: skip
    seen = {(r["GRANT_KIND"], r["GRANTEE_NAME"]): r["BY_PROGRAM_ROLE"] for r in audit.rows("AUDIT_GRANTS")}
    assert seen == {
        ("ROLE", "SOPHIA_AI_DEV_APP_ROLE"): True,
        ("ROLE", "ANALYST"): False,
        ("USER", STRANGER): False,  # the owner role handed to someone, by no role the program uses
    }


def _credential(user: str, name: str, kind: str, created_days_ago: int, expires_in: int | None,
                status: str = "ACTIVE") -> dict[str, Any]:  # fmt: skip
    row = {"USER_NAME": user, "NAME": name, "TYPE": kind, "STATUS": status,
           "CREATED_ON": sql(AGO.format(created_days_ago))}  # fmt: skip
    if expires_in is not None:
        row["EXPIRATION_DATE"] = sql(AHEAD.format(expires_in))
        row["ADDITIONAL_DETAILS"] = {"ROLE_RESTRICTION": ["SOPHIA_AI_DEV_APP_ROLE"]}
    return row


def test_credentials_expire_at_their_date_or_at_the_key_age_limit(audit: Audit) -> None:
    insert(audit.cursor, "CREDENTIALS", _credential(APP, "APP_PAT", "PAT", 5, 25))
    insert(audit.cursor, "CREDENTIALS", _credential(AIRBYTE, "KEY", "KEYPAIR", 100, None))
    insert(audit.cursor, "CREDENTIALS", _credential(STRANGER, "PAT", "PAT", 1, 1))
    rows = {r["NAME"]: r for r in audit.rows("AUDIT_CREDENTIALS")}
    assert sorted(rows) == ["APP_PAT", "KEY"]
    now = datetime.now(UTC)
    assert abs(rows["APP_PAT"]["EXPIRES_AT"] - (now + timedelta(days=25))) < timedelta(minutes=5)
    assert abs(rows["KEY"]["EXPIRES_AT"] - (now + timedelta(days=80))) < timedelta(minutes=5)


def test_expiry_alert_fires_fourteen_days_ahead_for_keys_and_tokens(audit: Audit) -> None:
    for row in (
        _credential(APP, "PAT_SOON", "PAT", 80, 10),
        _credential(APP, "PAT_LATER", "PAT", 5, 30),
        _credential(APP, "PAT_OFF", "PAT", 80, 3, status="DISABLED"),
        _credential(AIRBYTE, "OLD_KEY", "KEYPAIR", 170, None),  # 180-day limit in 10 days
        _credential(AIRBYTE, "NEW_KEY", "KEYPAIR", 20, None),
        _credential(STRANGER, "THEIRS", "PAT", 80, 1),
    ):
        insert(audit.cursor, "CREDENTIALS", row)
    assert sorted(r["NAME"] for r in audit.alert("CREDENTIALS_EXPIRING")) == ["OLD_KEY", "PAT_SOON"]


def test_gate_decisions_show_who_released_or_skipped_what_and_why(audit: Audit) -> None:
    audit.cursor.execute(f"DELETE FROM {SCOPE.decisions}")
    audit.cursor.execute(
        f"INSERT INTO {SCOPE.decisions} (DECISION_ID, BATCH_ID, SOURCE, STREAM, BATCH_THROUGH, DECISION, REASON, "
        "DECIDED_BY, DECIDED_ROLE, DECIDED_AT) VALUES ('d1', 'b1', 'GONG', 'CALLS', CURRENT_TIMESTAMP(), "
        "'release', 'vendor fixed the export', 'ALICE', 'SOPHIA_AI_DEV_ADMIN_ROLE', CURRENT_TIMESTAMP())"
    )
    (row,) = audit.rows("AUDIT_GATE_DECISIONS")
    assert (row["DECISION"], row["REASON"], row["DECIDED_BY"], row["APPLIED_AT"]) == (
        "release",
        "vendor fixed the export",
        "ALICE",
        None,
    )
