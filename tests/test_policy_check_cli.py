"""`make policy-check`: any stack export, a violation introduced into a clean one, exit codes 0 / 1 / 2."""

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from offline.__main__ import EXIT_INVALID, EXIT_OK, EXIT_POLICY, plan, policy_check
from tests.harness import PROJECT_DIR


@pytest.fixture(scope="module")
def dev_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = tmp_path_factory.mktemp("build")
    quiet = Console(file=io.StringIO())
    assert plan(PROJECT_DIR, "dev", build, quiet, quiet) == EXIT_OK
    return build / "dev" / "stack.json"


def _check(export: Path, config: str | None, as_json: bool = False) -> tuple[int, str, str]:
    console, errors = Console(record=True, width=1000), Console(record=True, width=1000)
    code = policy_check(export, config, as_json, console, errors)
    return code, console.export_text(), errors.export_text()


def test_clean_export_passes(dev_export: Path) -> None:
    code, output, _ = _check(dev_export, str(PROJECT_DIR / "policies/config/dev.json"))
    assert code == EXIT_OK
    assert "no violations" in output


def test_introduced_violation_is_reported_in_json(dev_export: Path, tmp_path: Path) -> None:
    document = json.loads(dev_export.read_text())
    warehouse = next(
        r for r in document["deployment"]["resources"] if r["type"] == "snowflake:index/warehouse:Warehouse"
    )
    warehouse["inputs"]["warehouseSize"] = "X6LARGE"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    code, output, _ = _check(broken, str(PROJECT_DIR / "policies/config/dev.json"), as_json=True)
    assert code == EXIT_POLICY
    report = json.loads(output)
    assert report["mandatory"] == 1
    (violation,) = report["violations"]
    assert violation["rule"] == "warehouse-size-within-limit"
    assert violation["urn"] == warehouse["urn"]
    assert "X6LARGE" in violation["message"] and violation["remediation"]


def test_unreadable_export_exits_2(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"version": 3, "deployment": {"resources": [')
    code, _, errors = _check(truncated, None)
    assert code == EXIT_INVALID
    assert "not valid JSON" in errors
