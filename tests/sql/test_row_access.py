"""Row access policies on the emulator: for each declared role, which rows of a restricted table it sees."""

from collections.abc import Iterator

import pytest
from fakesnow.instance import FakeSnow

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.security import MAPPING_SPEC, MAPPING_TABLE, POLICY_ARGUMENT, row_access_body
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA
from tests.doc_pages import blocks
from tests.harness import PROJECT_DIR
from tests.sql.session_roles import SessionRoles, bind_argument
from tests.sql.shims import create_table_statements

DATABASE = "SOPHIA_TEST"
ADMIN, APP, SALES, ANALYST = "SOPHIA_AI_ADMIN_ROLE", "SOPHIA_AI_APP_ROLE", "SALES_EMEA", "ANALYST"
POLICY, OTHER_POLICY = "CUSTOMERS_BY_SEGMENT_ROW_ACCESS", "DOCUMENTS_BY_TYPE_ROW_ACCESS"
MAPPING = f"{DATABASE}.{OPS_SCHEMA}.{MAPPING_TABLE}"
# id -> segment; one NULL segment and one value with a quote, which no mapping row can reach by accident.
CUSTOMERS = {"C1": "SMB", "C2": "ENTERPRISE", "C3": "MID_MARKET", "C4": None, "C5": "O'BRIEN & CO"}
MAPPING_ROWS = [
    (POLICY, APP, "SMB"),
    (POLICY, SALES, "ENTERPRISE"),
    (POLICY, ANALYST, "*"),
    # Another policy's rows grant nothing on this one.
    (OTHER_POLICY, APP, "ENTERPRISE"),
    (OTHER_POLICY, APP, "*"),
]


class Restricted:
    """CUSTOMERS under the policy built from the stack's own SQL, and a session whose roles tests set."""

    def __init__(self, connection) -> None:
        self._connection = connection
        cursor = connection.cursor()
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {DATABASE}.{OPS_SCHEMA}")
        cursor.execute(MAPPING_SPEC.create_table_sql(f"{DATABASE}.{OPS_SCHEMA}"))
        cursor.executemany(f"INSERT INTO {MAPPING} VALUES (%s, %s, %s)", MAPPING_ROWS)
        statement, _ = create_table_statements(
            FOUNDATIONAL_CATALOG.table("CUSTOMERS"), KNOWLEDGE_SCHEMA, DATABASE
        )
        cursor.execute(statement)
        for customer, segment in CUSTOMERS.items():
            cursor.execute(
                f"INSERT INTO {DATABASE}.{KNOWLEDGE_SCHEMA}.CUSTOMERS (CUSTOMER_ID, COMPANY_NAME, SEGMENT, "
                "CREATED_AT, UPDATED_AT) VALUES (%s, %s, %s, CURRENT_TIMESTAMP(), CURRENT_TIMESTAMP())",
                (customer, f"Company {customer}", segment),
            )
        self.session = SessionRoles(connection, OPS_SCHEMA)
        body = row_access_body(MAPPING, POLICY, [ADMIN])
        self._predicate = bind_argument(body, POLICY_ARGUMENT, "SEGMENT")

    def visible(self, *roles: str) -> set[str]:
        """The CUSTOMER_IDs a session holding these roles sees through the policy."""
        self.session.use(*roles)
        cursor = self._connection.cursor()
        cursor.execute(
            f"SELECT t.CUSTOMER_ID FROM {DATABASE}.{KNOWLEDGE_SCHEMA}.CUSTOMERS AS t WHERE {self._predicate}"
        )
        return {row[0] for row in cursor.fetchall()}

    def execute(self, sql: str, params: tuple = ()) -> None:
        """One statement, as the owner maintaining the mapping would run it."""
        self._connection.cursor().execute(sql, params)

    def executemany(self, rows: list[tuple[str, str, str]]) -> None:
        """Puts mapping rows back."""
        self._connection.cursor().executemany(f"INSERT INTO {MAPPING} VALUES (%s, %s, %s)", rows)


@pytest.fixture(scope="module")
def restricted() -> Iterator[Restricted]:
    instance = FakeSnow()
    connection = instance.connect(database=DATABASE, schema=KNOWLEDGE_SCHEMA)
    yield Restricted(connection)
    instance.duck_conn.close()


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((ADMIN,), set(CUSTOMERS)),  # a see-all role, NULL segment included
        ((APP,), {"C1"}),
        ((SALES,), {"C2"}),
        ((ANALYST,), set(CUSTOMERS)),  # "*" sees every row, NULL segment included
        (("SOME_OTHER_ROLE",), set()),
        ((), set()),
        # Secondary roles and inherited roles count (IS_ROLE_IN_SESSION): the union of what each sees.
        ((APP, SALES), {"C1", "C2"}),
        ((APP, ADMIN), set(CUSTOMERS)),
    ],
    ids=["admin", "app", "sales", "analyst", "unmapped", "no-role", "app+sales", "app+admin"],
)
def test_each_role_sees_exactly_its_rows(
    restricted: Restricted, roles: tuple[str, ...], expected: set[str]
) -> None:
    assert restricted.visible(*roles) == expected


def test_the_mapping_is_data_a_change_applies_without_a_redeploy(restricted: Restricted) -> None:
    restricted.execute(f"INSERT INTO {MAPPING} VALUES (%s, %s, %s)", (POLICY, APP, "MID_MARKET"))
    try:
        assert restricted.visible(APP) == {"C1", "C3"}
    finally:
        restricted.execute(
            f"DELETE FROM {MAPPING} WHERE ROLE_NAME = %s AND ALLOWED_VALUE = %s", (APP, "MID_MARKET")
        )
    assert restricted.visible(APP) == {"C1"}


def test_a_role_whose_rows_are_removed_sees_nothing(restricted: Restricted) -> None:
    restricted.execute(f"DELETE FROM {MAPPING} WHERE ROLE_NAME = %s AND POLICY_NAME = %s", (SALES, POLICY))
    try:
        assert restricted.visible(SALES) == set()
    finally:
        restricted.execute(f"INSERT INTO {MAPPING} VALUES (%s, %s, %s)", (POLICY, SALES, "ENTERPRISE"))


def test_a_mapping_value_matches_exactly_not_as_a_pattern(restricted: Restricted) -> None:
    restricted.execute(f"INSERT INTO {MAPPING} VALUES (%s, %s, %s)", (POLICY, "PATTERN", "%"))
    try:
        assert restricted.visible("PATTERN") == set()
    finally:
        restricted.execute(f"DELETE FROM {MAPPING} WHERE ROLE_NAME = %s", ("PATTERN",))


def test_the_docs_mapping_example_runs_and_grants_what_it_says(restricted: Restricted) -> None:
    page = (PROJECT_DIR / "docs" / "security.md").read_text()
    (statement,) = blocks(page, "sql")
    restricted.execute(f"DELETE FROM {MAPPING} WHERE ROLE_NAME = %s", ("SOPHIA_AI_APP_ROLE",))
    restricted.execute(statement.replace("SOPHIA_AI.", f"{DATABASE}.", 1))
    try:
        assert restricted.visible("SOPHIA_AI_APP_ROLE") == {"C1"}
    finally:
        restricted.execute(f"DELETE FROM {MAPPING} WHERE ROLE_NAME = %s", ("SOPHIA_AI_APP_ROLE",))
        restricted.executemany([row for row in MAPPING_ROWS if row[1] == APP])
