"""The takeover on the mock engine: adopt what an inventory holds, change what drifted, list what is unmanaged."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from models.adoption import locate
from models.import_ids import import_id
from models.inventory import Inventory
from offline.engine import ProgramRun
from offline.takeover import Takeover, build_takeover
from tests.harness import PROJECT_DIR, run_stack
from tests.inventories import inventory_from_plan, write

DATABASE, PREFIX = "SOPHIA_AI_DEV", "SOPHIA_AI_DEV"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"
SCHEMA = "snowflake:index/schema:Schema"
TASK = "snowflake:index/task:Task"


@pytest.fixture(scope="module")
def bare_run() -> ProgramRun:
    """The dev stack with no inventory: the estate the account is to hold."""
    return run_stack("dev")


@pytest.fixture(scope="module")
def full_inventory(bare_run: ProgramRun) -> dict[str, Any]:
    """Every object the dev plan declares, present with its declared settings."""
    return inventory_from_plan(bare_run, DATABASE, PREFIX)


def adopt(inventory: dict[str, Any], tmp_path: Path) -> tuple[ProgramRun, Takeover]:
    """Runs the dev stack adopting from `inventory`, and the takeover it makes."""
    path = write(inventory, tmp_path / "inventory.json")
    run = run_stack("dev", {"adoptFrom": str(path)})
    return run, build_takeover(run, Inventory.model_validate(inventory))


def rows(inventory: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The rows of one kind, to edit in place."""
    return inventory["snowflake"][kind]


def test_an_inventory_of_the_plan_itself_adopts_everything_unchanged(
    bare_run: ProgramRun, full_inventory: dict[str, Any], tmp_path: Path
) -> None:
    run, takeover = adopt(full_inventory, tmp_path)
    assert sorted(r.urn for r in run.registrations) == sorted(
        r.urn for r in bare_run.registrations
    )  # no URN moves
    assert takeover.changed == [] and takeover.blocked == [] and takeover.unmanaged == []
    assert takeover.created == []
    adopted = {entry.urn: entry.import_id for entry in takeover.adopted}
    imported = {r.urn: r.import_id for r in run.registrations if r.import_id}
    assert adopted.keys() - imported.keys() <= {e.urn for e in takeover.adopted if "airbyte" in e.urn.lower()}
    for registration in run.registrations:
        if registration.import_id:
            assert registration.import_id == import_id(registration.type, registration.inputs)
    locatable = {
        r.urn for r in run.registrations if r.type.startswith("snowflake:") and locate(r.type, r.inputs)
    }
    assert imported.keys() == locatable  # every object an inventory can hold is imported, none left to create
    assert {e.type for e in takeover.reapplied} == {
        "execute:Execute", "tagAssociation:TagAssociation", "grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole",
        "WorkspaceNotifications",
    }  # fmt: skip
    # Kinds the inventory does not record are said to be unchecked, never counted as created or re-applied.
    assert {e.type for e in takeover.unchecked} == {
        "rowAccessPolicy:RowAccessPolicy", "authenticationPolicy:AuthenticationPolicy",
        "userAuthenticationPolicyAttachment:UserAuthenticationPolicyAttachment",
    }  # fmt: skip


def test_the_export_records_each_import_id_as_pulumi_does(
    full_inventory: dict[str, Any], tmp_path: Path
) -> None:
    from offline.export import to_deployment

    run, _ = adopt(full_inventory, tmp_path)
    resources = to_deployment(run)["deployment"]["resources"]
    warehouse = next(
        r for r in resources if r["type"] == WAREHOUSE and r["inputs"]["name"].endswith("ETL_WH")
    )
    assert warehouse["importID"] == '"SOPHIA_AI_DEV_ETL_WH"'
    assert not any("importID" in r for r in resources if r["type"].endswith("execute:Execute"))


def test_drifted_settings_are_reported_exactly(full_inventory: dict[str, Any], tmp_path: Path) -> None:
    drifted = copy.deepcopy(full_inventory)
    etl = next(row for row in rows(drifted, "warehouses") if row["name"] == "SOPHIA_AI_DEV_ETL_WH")
    etl.update(size="Medium", auto_suspend=600)
    raw = next(row for row in rows(drifted, "schemas") if row["name"] == "GONG_DATA_RAW")
    raw["retention_time"] = "7"
    task = next(row for row in rows(drifted, "tasks") if row.get("warehouse"))
    task["warehouse"] = "SOMEONE_ELSES_WH"
    _, takeover = adopt(drifted, tmp_path)
    reported = {(entry.urn.rsplit("::", 1)[1], change.setting, change.existing, change.declared)
                for entry in takeover.changed for change in entry.changes}  # fmt: skip
    task_urn = next(e.urn for e in takeover.changed if e.type == "task:Task").rsplit("::", 1)[1]
    assert reported == {
        ("sophia-warehouses-etl-warehouse", "size", "MEDIUM", "XSMALL"),
        ("sophia-warehouses-etl-warehouse", "auto_suspend", "600", "60"),
        ("sophia-database-schema-gong_data_raw", "retention_time", "7", "1"),
        (task_urn, "warehouse", "SOMEONE_ELSES_WH", task_warehouse(full_inventory)),
    }
    assert takeover.blocked == [] and takeover.destructive == []


def task_warehouse(inventory: dict[str, Any]) -> str:
    """The warehouse of the first task that runs on one (the serverless tasks have none)."""
    return next(row["warehouse"] for row in rows(inventory, "tasks") if row.get("warehouse"))


def test_extra_objects_are_listed_as_unmanaged_never_dropped(
    full_inventory: dict[str, Any], tmp_path: Path
) -> None:
    extra = copy.deepcopy(full_inventory)
    rows(extra, "schemas").append({"name": "LEGACY_STAGING", "database_name": DATABASE, "owner": "SYSADMIN"})
    rows(extra, "users").append({"name": "SOPHIA_AI_DEV_LOADER_SVC", "owner": "USERADMIN"})
    rows(extra, "users").append({"name": "SOMEONE_ELSE", "owner": "USERADMIN"})  # not the stack's prefix
    rows(extra, "grants_to_roles").append(
        {"privilege": "SELECT", "granted_on": "VIEW", "name": f"{DATABASE}.SOPHIA_SEMANTIC.CUSTOMER_360",
         "grantee_name": "PUBLIC", "granted_to": "ROLE"})  # fmt: skip
    rows(extra, "future_grants").append(
        {"privilege": "INSERT", "grant_on": "TABLE", "name": f"{DATABASE}.GONG_DATA_RAW.<TABLE>",
         "grantee_name": "SOPHIA_AI_DEV_APP_ROLE", "grant_to": "ROLE"})  # fmt: skip
    run, takeover = adopt(extra, tmp_path)
    assert {(item["kind"], item["name"]) for item in takeover.unmanaged} == {
        ("schemas", "LEGACY_STAGING"),
        ("users", "SOPHIA_AI_DEV_LOADER_SVC"),
        ("grants_to_roles", f"PUBLIC.VIEW.{DATABASE}.SOPHIA_SEMANTIC.CUSTOMER_360.SELECT"),
        ("future_grants", f"SOPHIA_AI_DEV_APP_ROLE.TABLE.{DATABASE}.GONG_DATA_RAW.<TABLE>.INSERT"),
    }
    assert not any("LEGACY_STAGING" in r.urn or "LOADER" in r.urn for r in run.registrations)


def test_a_half_present_estate_adopts_what_exists_and_creates_the_rest(
    full_inventory: dict[str, Any], tmp_path: Path
) -> None:
    half = copy.deepcopy(full_inventory)
    half["snowflake"]["warehouses"] = [
        r for r in rows(half, "warehouses") if r["name"].endswith(("ETL_WH", "ML_WH"))
    ]
    half["snowflake"]["schemas"] = [r for r in rows(half, "schemas") if not r["name"].startswith("GONG")]
    run, takeover = adopt(half, tmp_path)
    adopted = {r.inputs["name"] for r in run.registrations if r.type == WAREHOUSE and r.import_id}
    created = {r.inputs["name"] for r in run.registrations if r.type == WAREHOUSE and not r.import_id}
    assert adopted == {"SOPHIA_AI_DEV_ETL_WH", "SOPHIA_AI_DEV_ML_WH"}
    assert created == {"SOPHIA_AI_DEV_ANALYTICS_WH", "SOPHIA_AI_DEV_REALTIME_WH"}
    created_schemas = {e.urn.rsplit("-", 1)[1] for e in takeover.created if e.type == "schema:Schema"}
    assert created_schemas == {"gong_data_raw", "gong_data"}
    assert takeover.changed == [] and takeover.blocked == []


def test_destructive_adoptions_are_called_out(full_inventory: dict[str, Any], tmp_path: Path) -> None:
    hostile = copy.deepcopy(full_inventory)
    raw = next(row for row in rows(hostile, "schemas") if row["name"] == "GONG_DATA_RAW")
    raw.update(owner="LEGACY_LOADER", options="")
    table = rows(hostile, "tables")[0]
    rows(hostile, "columns").append({"table_name": table["name"], "schema_name": table["schema_name"],
                                     "column_name": "LEGACY_FLAG", "database_name": DATABASE})  # fmt: skip
    connection = next(c for c in hostile["airbyte"]["connections"] if "GONG" in c["name"])
    connection["namespaceFormat"] = "GONG"
    connection["configurations"]["streams"][0]["syncMode"] = "full_refresh_overwrite"
    _, takeover = adopt(hostile, tmp_path)
    problems = {entry.type: entry.destructive for entry in takeover.destructive}
    assert problems["schema:Schema"] == [
        "owned by LEGACY_LOADER; the program acts as SOPHIA_AI_DEV_ADMIN_ROLE, so takes it over",
        "managed access would change: who may grant on the schema's objects changes",
    ]
    assert problems["table:Table"] == ["columns differ: declared only [], existing only ['LEGACY_FLAG']"]
    connection_problems = problems["Connection"]
    assert connection_problems[0] == "namespace 'GONG' -> 'GONG_DATA_RAW'"
    assert "syncMode 'full_refresh_overwrite' -> 'incremental_deduped_history'" in connection_problems[1]


def test_an_unreadable_output_is_never_guessed(full_inventory: dict[str, Any], tmp_path: Path) -> None:
    """Objects the inventory holds are imported or blocked; none is silently re-created over what exists."""
    _, takeover = adopt(full_inventory, tmp_path)
    assert json.dumps(takeover.to_json())  # the report serialises
    assert takeover.blocked == []


def test_the_docs_example_shows_every_section_of_a_takeover(tmp_path: Path) -> None:
    """docs/adopting.md walks through docs/examples/inventory-dev.json: it must keep showing what it says."""
    example = json.loads((PROJECT_DIR / "docs" / "examples" / "inventory-dev.json").read_text())
    _, takeover = adopt(example, tmp_path)
    changed = {(e.urn.rsplit("::", 1)[1], c.setting) for e in takeover.changed for c in e.changes}
    assert changed == {
        ("sophia-warehouses-etl-warehouse", "size"),
        ("sophia-warehouses-etl-warehouse", "auto_suspend"),
        ("sophia-database-schema-gong_data_raw", "retention_time"),
    }
    assert takeover.adopted and takeover.created and takeover.destructive == []
    assert {item["name"] for item in takeover.unmanaged} == {
        "LEGACY_STAGING", "GONG_DATA_RAW.CALLS", "PUBLIC.SCHEMA.SOPHIA_AI_DEV.LEGACY_STAGING.USAGE",
    }  # fmt: skip
    assert any(e.type == "Connection" for e in takeover.adopted)  # adopted by name, no re-sync


def test_a_database_role_grantee_is_found_however_show_spells_it(
    full_inventory: dict[str, Any], tmp_path: Path
) -> None:
    unqualified = copy.deepcopy(full_inventory)
    for row in rows(unqualified, "grants_to_database_roles"):
        row["grantee_name"] = row["grantee_name"].removeprefix(f"{DATABASE}.")
    for row in rows(unqualified, "future_grants"):
        if row["grant_to"] == "DATABASE_ROLE":
            row["grantee_name"] = row["grantee_name"].removeprefix(f"{DATABASE}.")
    _, takeover = adopt(unqualified, tmp_path)
    assert takeover.created == [] and takeover.unmanaged == []


def test_tables_airbyte_made_inherit_the_metadata_of_their_schema(bare_run: ProgramRun) -> None:
    """Snowflake's tag lineage gives every table in a tagged schema the schema's tag, existing or later."""
    tagged = {}
    for r in bare_run.registrations:
        inputs = r.inputs
        if r.type.endswith("tagAssociation:TagAssociation") and inputs["tagId"].endswith(
            '"SOPHIA_AI_METADATA"'
        ):
            for schema in inputs["objectIdentifiers"] if inputs["objectType"] == "SCHEMA" else []:
                tagged[schema.split(".")[-1].strip('"')] = json.loads(inputs["tagValue"])
    for source in ("GONG", "HUBSPOT", "SLACK"):
        for schema, entity_type in ((f"{source}_DATA_RAW", "raw"), (f"{source}_DATA", "curated")):
            assert (tagged[schema]["data_source"], tagged[schema]["entity_type"]) == (
                source.lower(),
                entity_type,
            )
