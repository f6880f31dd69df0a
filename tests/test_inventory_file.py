"""The inventory file is versioned and validated: a bad one stops the plan and the program with exit 2."""

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from models.inventory import Inventory
from offline.stack_files import load_stack_files
from sophia.cli import main
from sophia.takeover import adoption_inventory, report_takeover
from stack.loader import load_stack_config
from tests.harness import PROJECT_DIR, apply_overrides, assert_config_refused, run_stack
from tests.inventories import empty_inventory, write

Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(inventory: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = inventory
        for part in parents:
            target = target[part]
        target[last] = value

    return edit


def _drop_kind(inventory: dict[str, Any]) -> None:
    del inventory["snowflake"]["alerts"]


BAD: dict[str, tuple[Edit, str]] = {
    "wrong version": (_set("version", 2), "version 2 is not supported; this program reads version 1"),
    "missing kind": (_drop_kind, "missing ['alerts']"),
    "unknown kind": (_set("snowflake.pipes", []), "unknown ['pipes']"),
    "row without its key": (
        _set("snowflake.tables", [{"name": "CALLS", "database_name": "SOPHIA_AI_DEV"}]),
        "snowflake.tables[0] lacks the key column(s) ['schema_name'] of `SHOW TABLES IN DATABASE {database}`",
    ),
    "row that is not a row": (
        _set("snowflake.warehouses", [["SOPHIA_AI_DEV_ETL_WH"]]),
        "snowflake.warehouses.0",
    ),
    "nested value": (
        _set("snowflake.warehouses", [{"name": "W", "size": {"x": 1}}]),
        "snowflake.warehouses.0.size",
    ),
    "another account": (_set("accountFingerprint", "0" * 64), "was taken in another account"),
    "another database's rows": (
        _set("snowflake.schemas", [{"name": "RAW", "database_name": "OTHER_DB"}]),
        "snowflake.schemas[0] is in database 'OTHER_DB', outside the inventory's 'SOPHIA_AI_DEV'",
    ),
    "another stack's database": (
        _set("database", "SOPHIA_AI_PROD"),
        "database is 'SOPHIA_AI_PROD', but the stack's",
    ),
    "unknown top-level key": (_set("comment", "x"), "comment: Extra inputs are not permitted"),
    "Airbyte rows without ids": (
        _set(
            "airbyte",
            {"workspaceId": "w", "sources": [{"name": "GONG"}], "destinations": [], "connections": []},
        ),
        "airbyte.sources[0] needs 'name' and 'sourceId'",
    ),
}


def bad_inventory(case: str, tmp_path: Path) -> Path:
    """An otherwise valid inventory with one defect, written to a file."""
    inventory = copy.deepcopy(empty_inventory("SOPHIA_AI_DEV", "SOPHIA_AI_DEV"))
    BAD[case][0](inventory)
    return write(inventory, tmp_path / "inventory.json")


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_plan_refuses_a_bad_inventory_with_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = bad_inventory(case, tmp_path)
    assert main(["plan", "dev", "--inventory", str(path), "--build-dir", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert "--inventory: the inventory" in err and BAD[case][1] in err, err
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("text", ["", "{", "[1, 2]"])
def test_what_is_not_an_inventory_exits_2(text: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "inventory.json"
    path.write_text(text)
    assert main(["plan", "dev", "--inventory", str(path), "--build-dir", str(tmp_path)]) == 2
    assert str(path) in capsys.readouterr().err


def test_a_missing_inventory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["plan", "dev", "--inventory", str(tmp_path / "absent.json")]) == 2
    assert "cannot be read (No such file or directory)" in capsys.readouterr().err


def test_the_program_refuses_a_bad_inventory_before_any_resource(tmp_path: Path) -> None:
    path = bad_inventory("missing kind", tmp_path)
    assert_config_refused(
        "dev", {"adoptFrom": str(path)}, ["sophia-data-platform:adoptFrom", "missing ['alerts']"]
    )


def test_an_inventory_never_shows_the_account(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = bad_inventory("another account", tmp_path)
    main(["plan", "dev", "--inventory", str(path)])
    assert "OFFLINE_ORG" not in capsys.readouterr().err


def hostile(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """An account whose GONG_DATA_RAW another role owns."""
    inventory = empty_inventory("SOPHIA_AI_DEV", "SOPHIA_AI_DEV")
    inventory["snowflake"]["schemas"] = [
        {"name": "GONG_DATA_RAW", "database_name": "SOPHIA_AI_DEV", "owner": "LEGACY_LOADER", "options": "MANAGED ACCESS",
         "retention_time": "1", "comment": "Airbyte landing zone for GONG"},
    ]  # fmt: skip
    return write(inventory, tmp_path / "inventory.json"), inventory


def test_a_destructive_adoption_fails_the_plan_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path, _ = hostile(tmp_path)
    assert main(["plan", "dev", "--inventory", str(path), "--build-dir", str(tmp_path / "build")]) == 1
    out = capsys.readouterr().out
    assert "owned by LEGACY_LOADER; the program acts as SOPHIA_AI_DEV_ADMIN_ROLE" in out
    assert "[blocked] schema:Schema adopted" in out
    report = json.loads((tmp_path / "build" / "dev" / "takeover.json").read_text())
    assert [entry["urn"].rsplit("::", 1)[1] for entry in report["changed"]] == [
        "sophia-database-schema-gong_data_raw"
    ]
    markdown = (tmp_path / "build" / "dev" / "takeover.md").read_text()
    assert "### Adopted and changed (1)" in markdown and "DESTRUCTIVE: owned by LEGACY_LOADER" in markdown


def test_an_allowed_destructive_adoption_passes(tmp_path: Path) -> None:
    path, inventory = hostile(tmp_path)
    run = run_stack("dev", {"adoptFrom": str(path)})
    urn = next(r.urn for r in run.registrations if r.urn.endswith("::sophia-database-schema-gong_data_raw"))
    entry = {"urn": urn, "change": "adopted", "reason": "the loader role hands the schema over"}
    (tmp_path / "allow-destructive.yaml").write_text(yaml.safe_dump({"allow": [entry]}))
    quiet = Console(file=io.StringIO())
    assert report_takeover(run, Inventory.model_validate(inventory), tmp_path, tmp_path, quiet) is False
    (tmp_path / "allow-destructive.yaml").unlink()
    assert report_takeover(run, Inventory.model_validate(inventory), tmp_path, tmp_path, quiet) is True


def test_the_plan_without_an_inventory_writes_no_takeover(tmp_path: Path) -> None:
    assert main(["plan", "dev", "--build-dir", str(tmp_path)]) == 0
    assert not (tmp_path / "dev" / "takeover.json").exists()


def test_the_plan_follows_the_stack_key_relative_to_the_project() -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    values = apply_overrides(files.values, files.project, {"adoptFrom": "docs/examples/inventory-dev.json"})
    config = load_stack_config(files.project, values, files.secret_keys)
    inventory = adoption_inventory(config, files.project, PROJECT_DIR, None, values)
    assert inventory is not None and inventory.database == "SOPHIA_AI_DEV"
    # The program may run from anywhere: it is handed the full path.
    assert values["sophia-data-platform:adoptFrom"] == str(
        PROJECT_DIR / "docs" / "examples" / "inventory-dev.json"
    )
