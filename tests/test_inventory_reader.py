"""`sophia inventory` against fakesnow for the SHOWs it answers, documented-shape fixtures for the rest, fake Airbyte."""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fakesnow
import httpx
import pytest
import snowflake.connector
from rich.console import Console

from catalog.sql_files import Slot, render_sql, sql_file
from models.inventory import Inventory
from models.inventory_kinds import KIND_BY_NAME, KINDS, InventoryKind, Scope
from sophia.cli import main
from sophia.inventory import inventory
from sophia.inventory_read import cursor_execute, read_airbyte, read_snowflake
from tests.airbyte.conftest import BEARER_TOKEN, CLIENT_ID, CLIENT_SECRET, _body, connection_props
from tests.airbyte.fake_airbyte_server import FakeAirbyte
from tests.harness import PROJECT_DIR

FIXTURES = Path(__file__).parent / "inventory_fixtures"
# The SHOWs fakesnow answers (fakesnow/transforms/show.py); every other kind has a fixture.
FAKESNOW_KINDS = {"databases", "schemas", "tables", "views", "columns", "warehouses", "users", "procedures"}
DATABASE, PREFIX = "SOPHIA_AI_DEV", "SOPHIA_AI_DEV"
WORKSPACE = "00000000-0000-4000-8000-000000000000"  # Pulumi.dev.yaml's airbyte.workspaceId
ESTATE = (
    "CREATE DATABASE OTHER_DB",
    "CREATE SCHEMA SOPHIA_AI_DEV.GONG_DATA_RAW",
    "CREATE SCHEMA SOPHIA_AI_DEV.SOPHIA_OPS",
    "CREATE SCHEMA SOPHIA_AI_DEV.SOPHIA_SEMANTIC",
    "CREATE TABLE SOPHIA_AI_DEV.GONG_DATA_RAW.CALLS (ID VARCHAR, STARTED TIMESTAMP_NTZ)",
    "CREATE VIEW SOPHIA_AI_DEV.SOPHIA_SEMANTIC.CUSTOMER_360 AS SELECT 1 AS ID",
    "CREATE SCHEMA OTHER_DB.STAGING",
    "CREATE TABLE OTHER_DB.STAGING.ELSEWHERE (ID INT)",
)


def fixture(kind: str) -> dict[str, Any]:
    """One documented-shape fixture."""
    return json.loads((FIXTURES / f"{kind}.json").read_text())


def fixture_statements() -> dict[str, list[dict[str, Any]]]:
    """Each statement a fixture answers, rendered from the same sql/inventory file the reader runs."""
    answers = {}
    for path in sorted(FIXTURES.glob("*.json")):
        kind = KIND_BY_NAME[path.stem]
        for scope, rows in fixture(path.stem)["rows"].items():
            values = {} if kind.scope is Scope.ACCOUNT else {kind.scope.value: scope}
            answers[render_sql(kind.sql, **values)] = rows
    return answers


@contextmanager
def estate_session() -> Iterator[tuple[Callable[[str], list[dict[str, Any]]], list[str]]]:
    """fakesnow for what it answers, the fixtures for the rest, and every statement that ran."""
    answers, ran = fixture_statements(), []
    fixture_commands = tuple(
        KIND_BY_NAME[k].show.split("{")[0] for k in KIND_BY_NAME if k not in FAKESNOW_KINDS
    )
    with fakesnow.patch():
        connection = snowflake.connector.connect(database=DATABASE)
        execute = cursor_execute(connection.cursor())
        for statement in ESTATE:
            execute(statement)

        def routed(statement: str) -> list[dict[str, Any]]:
            ran.append(statement)
            if statement in answers or statement.startswith(fixture_commands):
                return answers.get(statement, [])
            return execute(statement)

        yield routed, ran


@contextmanager
def fixture_session(env: object) -> Iterator[Callable[[str], list[dict[str, Any]]]]:
    """What `sophia inventory` signs in to, here the fakesnow-and-fixtures estate."""
    with estate_session() as (execute, _):
        yield execute


def test_every_kind_is_read_from_fakesnow_or_a_documented_fixture() -> None:
    fixtures = {path.stem for path in FIXTURES.glob("*.json")}
    assert fixtures | FAKESNOW_KINDS == {kind.name for kind in KINDS}
    assert not fixtures & FAKESNOW_KINDS


@pytest.mark.parametrize("kind", sorted(path.stem for path in FIXTURES.glob("*.json")))
def test_each_fixture_cites_the_documented_columns_and_keeps_to_them(kind: str) -> None:
    document, record = fixture(kind), KIND_BY_NAME[kind]
    assert document["command"] == record.show and document["documentation"] == record.doc_url
    assert document["documentedColumns"] == list(record.documented)
    for rows in document["rows"].values():
        for row in rows:
            assert set(row) <= set(record.documented), set(row) - set(record.documented)
            assert all(isinstance(row[column], str) for column in record.key)


def test_the_reader_keeps_to_the_stacks_namespace() -> None:
    with estate_session() as (execute, ran):
        read = read_snowflake(execute, DATABASE, PREFIX)
    assert [row["name"] for row in read["databases"]] == [DATABASE]
    assert {row["name"] for row in read["schemas"]} >= {"GONG_DATA_RAW", "SOPHIA_OPS", "SOPHIA_SEMANTIC"}
    assert not any(row["name"].upper() == "INFORMATION_SCHEMA" for row in read["schemas"])
    assert [(row["schema_name"], row["name"]) for row in read["tables"]] == [("GONG_DATA_RAW", "CALLS")]
    assert {row["column_name"] for row in read["columns"]} == {"ID", "STARTED"}
    assert read["warehouses"] == []  # fakesnow's one warehouse is not the stack's
    assert [row["name"] for row in read["roles"]] == ["SOPHIA_AI_DEV_ETL_ROLE"]
    assert [row["name"] for row in read["resource_monitors"]] == ["SOPHIA_AI_DEV_ETL_MONITOR"]
    grants = {(row["grantee_name"], row["name"]) for row in read["grants_to_roles"]}
    assert grants == {
        ("SOPHIA_AI_DEV_ETL_ROLE", f"{DATABASE}.GONG_DATA_RAW_WRITE"),
        ("PUBLIC", f"{DATABASE}.SOPHIA_SEMANTIC.CUSTOMER_360"),  # a grant to PUBLIC on the stack's view
    }
    assert len(read["future_grants"]) == 1 and len(read["grants_to_database_roles"]) == 1
    assert "SHOW GRANTS TO ROLE ANALYST" not in ran  # another team's role is not read
    assert isinstance(read["tables"][0]["created_on"], str)  # timestamps written as ISO 8601


def test_an_absent_database_reads_nothing_inside_it() -> None:
    with estate_session() as (execute, ran):
        read = read_snowflake(execute, "NOT_THERE", "NOT_THERE")
    assert all(read[kind.name] == [] for kind in KINDS if kind.scope is not Scope.ACCOUNT)
    assert not any("IN DATABASE" in statement for statement in ran)


@pytest.fixture
def airbyte() -> Iterator[FakeAirbyte]:
    """A fresh fake Airbyte; fails the test if the fake itself broke."""
    with FakeAirbyte(bearer_token=BEARER_TOKEN, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as server:
        yield server
    assert not server.internal_errors


def test_airbyte_objects_are_listed_page_by_page_without_configurations(airbyte: FakeAirbyte) -> None:
    workspace = airbyte.add_workspace()
    props = connection_props(airbyte, workspace)
    airbyte.seed("connections", {**_body(props), **json.loads(props["configuration"]),
                                  "sourceId": props["source_id"], "destinationId": props["destination_id"]})  # fmt: skip
    client = httpx.Client(base_url=airbyte.url, headers={"Authorization": f"Bearer {BEARER_TOKEN}"})
    listed = read_airbyte(client, workspace, page_size=1)
    assert [s["name"] for s in listed["sources"]] == ["hubspot-source"]
    assert [d["name"] for d in listed["destinations"]] == ["snowflake-destination"]
    (connection,) = listed["connections"]
    assert connection["namespaceFormat"] == "HUBSPOT_DATA_RAW"
    assert connection["configurations"]["streams"][0]["primaryKey"] == [["id"]]
    # A source's or destination's configuration can hold credentials (masked or not): never recorded.
    assert not any("configuration" in item for item in listed["sources"] + listed["destinations"])


def test_sophia_inventory_writes_a_file_the_plan_adopts(
    airbyte: FakeAirbyte, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    airbyte.workspaces[WORKSPACE] = {"workspaceId": WORKSPACE, "name": "sophia", "notifications": {}}
    for name, value in {
        "SNOWFLAKE_ORGANIZATION_NAME": "OFFLINE_ORG", "SNOWFLAKE_ACCOUNT_NAME": "OFFLINE_ACCOUNT",
        "SNOWFLAKE_USER": "INVENTORY", "SNOWFLAKE_ROLE": "SOPHIA_INVENTORY", "SNOWFLAKE_TOKEN": "t",
        "AIRBYTE_API_URL": airbyte.url, "AIRBYTE_CLIENT_ID": CLIENT_ID, "AIRBYTE_CLIENT_SECRET": CLIENT_SECRET,
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    output = tmp_path / "inventory.json"
    assert inventory(PROJECT_DIR, "dev", output, Console(), Console(stderr=True), fixture_session) == 0
    document = Inventory.model_validate_json(output.read_text())
    assert document.airbyte is not None and document.airbyte.workspace_id == WORKSPACE
    # fakesnow's view is owned by SYSADMIN, not the stack's owner role: a takeover the guard stops.
    assert main(["plan", "dev", "--inventory", str(output), "--build-dir", str(tmp_path / "build")]) == 1
    report = json.loads((tmp_path / "build" / "dev" / "takeover.json").read_text())
    assert [urn.rsplit("::", 1)[1] for urn in report["destructive"]] == ["sophia-knowledge-view-customer_360"]
    unmanaged = {(item["kind"], item["name"]) for item in report["unmanaged"]}
    assert ("tables", "GONG_DATA_RAW.CALLS") in unmanaged
    assert ("grants_to_roles", f"PUBLIC.VIEW.{DATABASE}.SOPHIA_SEMANTIC.CUSTOMER_360.SELECT") in unmanaged
    assert any(entry["type"] == "accountRole:AccountRole" for entry in report["adopted"])


def test_missing_sign_in_variables_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    for name in ("SNOWFLAKE_TOKEN", "SNOWFLAKE_PRIVATE_KEY", "SNOWFLAKE_ROLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIRBYTE_BEARER_TOKEN", "x")
    assert main(["inventory", "dev", "--output", "unused.json", "--project-dir", str(PROJECT_DIR)]) == 2
    err = capsys.readouterr().err
    assert "SNOWFLAKE_ROLE" in err and "SNOWFLAKE_TOKEN or SNOWFLAKE_PRIVATE_KEY" in err


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_kind_runs_the_statement_its_record_names(kind: InventoryKind) -> None:
    assert sql_file(kind.sql).body.strip() == kind.show


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_kinds_file_takes_the_one_identifier_its_scope_names(kind: InventoryKind) -> None:
    expected = {} if kind.scope is Scope.ACCOUNT else {kind.scope.value: Slot.IDENTIFIER}
    assert sql_file(kind.sql).slots == expected
