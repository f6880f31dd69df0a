"""`sophia policy-check`: any stack export, a violation introduced into a clean one, the config it picks, 0 / 1 / 2."""

import json
from pathlib import Path

from rich.console import Console

from offline.ci_formats import ReportFormat
from sophia.cli import EXIT_FAILED, EXIT_INVALID, EXIT_OK, main, policy_check
from tests.harness import PROJECT_DIR

WAREHOUSE = "snowflake:index/warehouse:Warehouse"


def _check(export: Path, config: str | None, fmt: ReportFormat = ReportFormat.TEXT) -> tuple[int, str, str]:
    console, errors = Console(record=True, width=1000), Console(record=True, width=1000)
    code = policy_check(export, config, fmt, PROJECT_DIR, console, errors)
    return code, console.export_text(), errors.export_text()


def _with_oversized_warehouse(export: Path, target: Path) -> dict:
    document = json.loads(export.read_text())
    warehouse = next(r for r in document["deployment"]["resources"] if r["type"] == WAREHOUSE)
    warehouse["inputs"]["warehouseSize"] = "X6LARGE"
    target.write_text(json.dumps(document))
    return warehouse


def test_clean_export_passes_with_the_file_sophia_policy_config_writes(
    dev_export: Path, tmp_path: Path
) -> None:
    written = tmp_path / "dev-policy.json"
    assert main(["policy-config", "dev", "--out", str(written), "--project-dir", str(PROJECT_DIR)]) == EXIT_OK
    code, output, _ = _check(dev_export, str(written))
    assert code == EXIT_OK
    assert "no violations" in output
    assert f"policy config: {written}" in output


def test_introduced_violation_is_reported_in_json(dev_export: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    warehouse = _with_oversized_warehouse(dev_export, broken)
    code, output, _ = _check(broken, "dev", ReportFormat.JSON)
    assert code == EXIT_FAILED
    report = json.loads(output)
    assert report["mandatory"] == 1
    (violation,) = report["violations"]
    assert violation["rule"] == "warehouse-size-within-limit"
    assert violation["urn"] == warehouse["urn"]
    assert "X6LARGE" in violation["message"] and violation["remediation"]


def test_without_policy_config_the_exports_stack_config_is_used_and_named(
    dev_export: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    document = json.loads(dev_export.read_text())
    warehouse = next(r for r in document["deployment"]["resources"] if r["type"] == WAREHOUSE)
    warehouse["inputs"]["warehouseSize"] = "MEDIUM"  # within the defaults (LARGE), over dev's SMALL
    broken.write_text(json.dumps(document))
    code, output, _ = _check(broken, None, ReportFormat.JSON)
    assert code == EXIT_FAILED
    report = json.loads(output)
    assert report["policyConfig"] == (
        "derived from Pulumi.dev.yaml + policies/config/dev.json (stack dev, named in the export's URNs)"
    )
    assert [v["rule"] for v in report["violations"]] == ["warehouse-size-within-limit"]


def test_a_stack_without_config_runs_on_the_defaults_and_says_so(dev_export: Path, tmp_path: Path) -> None:
    qa = tmp_path / "qa.json"
    qa.write_text(dev_export.read_text().replace("urn:pulumi:dev::", "urn:pulumi:qa::"))
    code, output, _ = _check(qa, None)
    assert (
        "policy config: rule defaults (no Pulumi.qa.yaml and no policies/config/qa.json; stack qa, named in the "
        "export's URNs)" in output
    )
    # The defaults are the strict ones: dev's relaxed rules (e.g. unprotected data) now fail.
    assert code == EXIT_FAILED and "stateful-resources-protected" in output


def test_unknown_policy_config_exits_2_naming_the_configs(dev_export: Path) -> None:
    code, output, errors = _check(dev_export, "qa")
    assert code == EXIT_INVALID and output == ""
    assert "--policy-config qa" in errors and "['dev', 'prod']" in errors


def test_unreadable_export_exits_2(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"version": 3, "deployment": {"resources": [')
    code, _, errors = _check(truncated, None)
    assert code == EXIT_INVALID
    assert "not valid JSON" in errors
