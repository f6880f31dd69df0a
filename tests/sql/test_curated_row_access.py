"""A restricted stream's curated table: the gate attaches the policy as it creates it, and each role's rows.

fakesnow cannot run ALTER TABLE ... ADD ROW ACCESS POLICY (its parser stops at POLICY) and sqlglot parses
it only as a Command, so the session below takes that one statement: it checks the statement's tokens, as
sqlglot reads Snowflake, against Snowflake's syntax (ALTER TABLE, row access policy parameters) and records
the attachment. The policy's predicate then runs on its own against the curated table, bound to the
attached column, with IS_ROLE_IN_SESSION stood in by tests/sql/session_roles.py.
"""

import re
from dataclasses import replace
from typing import Any

import pytest
import sqlglot

from catalog.security import MAPPING_SPEC, MAPPING_TABLE, POLICY_ARGUMENT, row_access_body
from tests.sql.quality_gate_harness import DATABASE, OPS, GateWarehouse, RawStream, calls_stream
from tests.sql.session_roles import SessionRoles, bind_argument
from tests.sql.snowpark_session import FakeSession

POLICY = f"{DATABASE}.{OPS}.CALLS_BY_DIRECTION_ROW_ACCESS"
MAPPING = f"{DATABASE}.{OPS}.{MAPPING_TABLE}"
ADMIN, INBOUND_TEAM, OUTBOUND_TEAM, NOBODY = "ADMIN_ROLE", "INBOUND_TEAM", "OUTBOUND_TEAM", "NOBODY"


class _Rows:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def collect(self) -> list[dict[str, Any]]:
        return self.rows


class PolicySession(FakeSession):
    """The gate's session; ADD ROW ACCESS POLICY is checked and recorded, as fakesnow cannot run it."""

    def __init__(self, connection: Any, fail_attach: bool = False) -> None:
        super().__init__(connection)
        self.attached: dict[str, tuple[str, str]] = {}
        self.fail_attach = fail_attach

    def sql(self, query: str, params: Any = None) -> Any:
        """Every other statement runs on fakesnow."""
        references = re.search(
            r"POLICY_REFERENCES\(REF_ENTITY_NAME => '([^']+)', REF_ENTITY_DOMAIN => 'TABLE'\)", query
        )
        if (
            references
        ):  # what INFORMATION_SCHEMA.POLICY_REFERENCES lists for the table, as the query filters it
            attached = self.attached.get(references.group(1))
            return _Rows([{"POLICY_NAME": attached[0], "REF_COLUMN_NAME": attached[1]}] if attached else [])
        # Comments are no tokens; a qualified name is one word once its dots are joined.
        words = " ".join(t.text.upper() for t in sqlglot.tokenize(query, read="snowflake")).replace(
            " . ", "."
        )
        tokens = words.split()
        if tokens[:2] != ["ALTER", "TABLE"] or "POLICY" not in tokens:
            return super().sql(query, params)
        assert tokens[3:7] == ["ADD", "ROW", "ACCESS", "POLICY"] and tokens[8:] == [
            "ON",
            "(",
            tokens[10],
            ")",
        ]
        if self.fail_attach:
            raise RuntimeError("003001 (42501): Insufficient privileges to operate on row access policy")
        assert tokens[2] not in self.attached, "a table holds one row access policy"
        self.attached[tokens[2]] = (tokens[7], tokens[10])
        return _Rows([{"status": "Statement executed successfully."}])


def _restricted(gate: GateWarehouse, calls: RawStream, fail_attach: bool = False) -> PolicySession:
    calls.promoted = replace(calls.promoted, row_access=(POLICY, "DIRECTION"))
    gate.session = PolicySession(gate.connection, fail_attach)
    return gate.session


def _sync(calls: RawStream) -> None:
    calls.land()
    calls.sync(
        {"ID": "c1", "STARTED": "2024-05-01T10:00:00+00:00", "DIRECTION": "Inbound", "SCOPE": "External"},
        {"ID": "c2", "STARTED": "2024-05-01T11:00:00+00:00", "DIRECTION": "Outbound", "SCOPE": "External"},
        {"ID": "c3", "STARTED": "2024-05-01T12:00:00+00:00", "DIRECTION": "Outbound", "SCOPE": "Internal"},
    )


@pytest.fixture
def calls(gate: GateWarehouse) -> RawStream:
    return gate.stream("GONG", calls_stream())


def test_the_first_promotion_creates_curated_with_the_policy_and_each_role_sees_its_rows(
    gate: GateWarehouse, calls: RawStream
) -> None:
    session = _restricted(gate, calls)
    _sync(calls)
    assert gate.run() == {"CALLS": ["promoted"]}
    assert session.attached == {calls.curated: (POLICY, "DIRECTION")}
    assert [row["ID"] for row in calls.curated_rows()] == ["c1", "c2", "c3"]

    gate.execute(MAPPING_SPEC.create_table_sql(f"{DATABASE}.{OPS}"))
    policy = POLICY.rsplit(".", 1)[-1]
    rows = [(policy, INBOUND_TEAM, "Inbound"), (policy, OUTBOUND_TEAM, "Outbound"), ("OTHER", NOBODY, "*")]
    gate.connection.cursor().executemany(f"INSERT INTO {MAPPING} VALUES (?, ?, ?)", rows)
    reader = gate.instance.connect(database=DATABASE, schema=OPS)  # SessionRoles binds pyformat
    roles = SessionRoles(reader, OPS)
    table, (_, column) = calls.curated, session.attached[calls.curated]
    predicate = bind_argument(row_access_body(MAPPING, policy, [ADMIN]), POLICY_ARGUMENT, column)

    def visible(*held: str) -> list[str]:
        roles.use(*held)
        cursor = reader.cursor()
        cursor.execute(f"SELECT t.ID FROM {table} AS t WHERE {predicate} ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]

    assert visible(ADMIN) == ["c1", "c2", "c3"]
    assert visible(INBOUND_TEAM) == ["c1"]
    assert visible(OUTBOUND_TEAM) == ["c2", "c3"]
    assert visible(INBOUND_TEAM, OUTBOUND_TEAM) == ["c1", "c2", "c3"]
    assert visible(NOBODY) == []
    assert visible() == []


def test_later_runs_leave_the_attachment_alone(gate: GateWarehouse, calls: RawStream) -> None:
    session = _restricted(gate, calls)
    _sync(calls)
    gate.run()
    calls.sync({"ID": "c4", "STARTED": "2024-05-02T10:00:00+00:00", "DIRECTION": "Inbound"})
    assert gate.run() == {"CALLS": ["promoted"]}
    assert len(session.attached) == 1  # a second ADD would fail on Snowflake: one policy per table


def test_a_failed_attachment_leaves_no_curated_table_and_the_next_run_attaches(
    gate: GateWarehouse, calls: RawStream
) -> None:
    session = _restricted(gate, calls, fail_attach=True)
    _sync(calls)
    with pytest.raises(Exception, match="streams \\['CALLS'\\] failed"):
        gate.run()
    [batch] = gate.batches()
    assert batch["STATUS"] == "error" and "Insufficient privileges" in batch["DETAIL"]
    curated_schema = calls.curated.rsplit(".", 1)[0]
    assert gate.execute(f"SHOW TABLES IN SCHEMA {curated_schema}") == []
    session.fail_attach = False
    assert gate.run() == {"CALLS": ["promoted"]}
    assert session.attached == {calls.curated: (POLICY, "DIRECTION")}


def test_a_curated_table_restricted_after_its_creation_is_attached_by_the_next_run(
    gate: GateWarehouse, calls: RawStream
) -> None:
    gate.session = session = PolicySession(gate.connection)
    _sync(calls)
    assert gate.run() == {"CALLS": ["promoted"]}
    assert session.attached == {}
    calls.promoted = replace(calls.promoted, row_access=(POLICY, "DIRECTION"))  # the restriction, deployed
    assert gate.run() == {"CALLS": ["up_to_date"]}
    assert session.attached == {calls.curated: (POLICY, "DIRECTION")}
    calls.sync({"ID": "c4", "STARTED": "2024-05-02T10:00:00+00:00", "DIRECTION": "Inbound"})
    assert gate.run() == {"CALLS": ["promoted"]}  # attached once: a second ADD would fail the run


def test_an_unrestricted_stream_attaches_nothing(gate: GateWarehouse, calls: RawStream) -> None:
    gate.session = session = PolicySession(gate.connection)
    _sync(calls)
    assert gate.run() == {"CALLS": ["promoted"]}
    assert session.attached == {}
