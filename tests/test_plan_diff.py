"""`sophia plan STACK --against OLD_EXPORT`: what would be created, updated, replaced and deleted, by name."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.plan_diff import Op, diff_exports
from offline.urns import parse_urn
from sophia.cli import EXIT_INVALID, EXIT_OK, guard, plan
from tests.harness import PROJECT_DIR

TABLE = "snowflake:index/table:Table"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"


@pytest.fixture
def head(dev_export: Path) -> list[dict[str, Any]]:
    return json.loads(dev_export.read_text())["deployment"]["resources"]


def _named(resources: list[dict[str, Any]], resource_type: str, name: str) -> dict[str, Any]:
    return next(r for r in resources if r["type"] == resource_type and r["inputs"]["name"] == name)


def test_the_same_plan_changes_nothing(head: list[dict[str, Any]]) -> None:
    assert diff_exports(copy.deepcopy(head), head) == []


def test_each_kind_of_change_is_named_with_its_inputs(head: list[dict[str, Any]]) -> None:
    base = copy.deepcopy(head)
    _named(base, WAREHOUSE, "SOPHIA_AI_DEV_ETL_WH")["inputs"]["warehouseSize"] = "SMALL"
    _named(base, TABLE, "PRODUCTS")["inputs"]["schema"] = "SOPHIA_SEMANTIC"
    added = _named(head, TABLE, "CUSTOMERS")["urn"]
    base = [r for r in base if r["urn"] != added]
    gone = copy.deepcopy(_named(head, TABLE, "EMPLOYEES"))
    gone["urn"] = gone["urn"].replace("sophia-knowledge-employees", "sophia-knowledge-interns")
    gone["inputs"]["name"] = "INTERNS"
    base.append(gone)
    steps = {(s.op, parse_urn(s.urn).name): s for s in diff_exports(base, head)}
    assert [s.changed for (op, _), s in steps.items() if op is Op.UPDATE] == [("warehouseSize",)]
    (replace,) = [s for (op, _), s in steps.items() if op is Op.REPLACE]
    assert replace.changed == ("schema",) and "schema cannot change in place" in replace.advice
    assert [s.urn for (op, _), s in steps.items() if op is Op.CREATE] == [added]
    assert [s.urn for (op, _), s in steps.items() if op is Op.DELETE] == [gone["urn"]]


def test_a_rename_is_a_create_and_a_delete_with_the_alias_that_undoes_it(head: list[dict[str, Any]]) -> None:
    base = copy.deepcopy(head)
    table = _named(base, TABLE, "EMPLOYEES")
    old_urn = table["urn"] = table["urn"].replace("sophia-knowledge-employees", "knowledge-employees")
    steps = diff_exports(base, head)
    assert [(s.op, s.urn) for s in steps] == [
        (Op.CREATE, _named(head, TABLE, "EMPLOYEES")["urn"]),
        (Op.DELETE, old_urn),
    ]
    advice = "opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name='knowledge-employees')])"
    assert f"renamed from {old_urn}" in steps[0].advice and advice in steps[0].advice
    renamed = copy.deepcopy(head)
    _named(renamed, TABLE, "EMPLOYEES")["aliases"] = [old_urn]  # the alias the advice gives
    assert diff_exports(base, renamed) == []


def _plan(tmp_path: Path, against: Path, fmt: ReportFormat = ReportFormat.TEXT) -> tuple[int, str, str]:
    out, err = Console(record=True, width=300), Console(record=True, width=300)
    code = plan(PROJECT_DIR, "dev", tmp_path / "build", fmt, out, err, against=against)
    return code, out.export_text(), err.export_text()


def test_the_plan_prints_what_changes_against_an_earlier_export(tmp_path: Path, dev_export: Path) -> None:
    document = json.loads(dev_export.read_text())
    _named(document["deployment"]["resources"], WAREHOUSE, "SOPHIA_AI_DEV_ML_WH")["inputs"]["autoSuspend"] = (
        600
    )
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document))
    code, output, _ = _plan(tmp_path, old)
    assert code == EXIT_OK
    assert f"changes against {old}: 0 to create, 1 to update, 0 to replace, 0 to delete" in output
    assert (
        "~ update   snowflake:index/warehouse:Warehouse sophia-warehouses-ml-warehouse: autoSuspend" in output
    )
    code, output, _ = _plan(tmp_path, old, ReportFormat.JSON)
    (change,) = json.loads(output)["changes"]
    assert change["op"] == "update" and change["changedInputs"] == ["autoSuspend"]


def test_an_unreadable_or_foreign_export_is_said(tmp_path: Path, dev_export: Path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text("{not json")
    code, output, errors = _plan(tmp_path, bad)
    assert code == EXIT_INVALID and output == "" and "cannot read the export to compare with" in errors
    prod = json.loads(dev_export.read_text().replace("urn:pulumi:dev::", "urn:pulumi:prod::"))
    foreign = tmp_path / "prod.json"
    foreign.write_text(json.dumps(prod))
    code, _, errors = _plan(tmp_path, foreign)
    assert f"warning: {foreign} is an export of stack prod, not dev" in errors


def test_the_guard_warns_when_the_exports_are_of_different_stacks(tmp_path: Path, dev_export: Path) -> None:
    prod = tmp_path / "prod.json"
    prod.write_text(dev_export.read_text().replace("urn:pulumi:dev::", "urn:pulumi:prod::"))
    out, err = Console(record=True, width=300), Console(record=True, width=300)
    guard([prod, dev_export], None, None, ReportFormat.TEXT, PROJECT_DIR, out, err)
    assert "warning: comparing stack prod with stack dev" in err.export_text()
