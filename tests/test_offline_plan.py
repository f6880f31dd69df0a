"""`sophia plan`, the main job: exit codes, the printed plan in each format and the stack export."""

import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.stack_files import SECRET_STAND_IN
from sophia.cli import EXIT_FAILED, EXIT_INVALID, EXIT_OK, plan
from tests.harness import PROJECT_DIR

EXPORT_RESOURCE_KEYS = {"urn", "custom", "type", "inputs", "outputs", "protect", "dependencies"}


def _run(
    project_dir: Path, stack: str, build_dir: Path, fmt: ReportFormat = ReportFormat.TEXT
) -> tuple[int, str, str]:
    console, errors = Console(record=True, width=1000), Console(record=True, width=1000)
    code = plan(project_dir, stack, build_dir, fmt, console, errors)
    return code, console.export_text(), errors.export_text()


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, dict]]:
    build = tmp_path_factory.mktemp("build")
    results = {}
    for stack in ("dev", "prod"):
        code, output, _ = _run(PROJECT_DIR, stack, build)
        export_text = (build / stack / "stack.json").read_text()
        results[stack] = (code, output, json.loads(export_text), export_text)
    return results


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_plan_exits_zero_and_prints_tree_and_credits(planned: dict, stack: str) -> None:
    code, output, _, _ = planned[stack]
    assert code == EXIT_OK
    assert "sophia:warehouses:Warehouses" in output
    assert "4 × snowflake:index/warehouse:Warehouse" in output
    assert "Monthly credit ceiling" in output
    total = {"dev": "30.8", "prod": "1485"}[stack]
    assert any(line.split()[1:2] == ["total"] and total in line for line in output.splitlines())


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_export_is_a_version_3_deployment(planned: dict, stack: str) -> None:
    _, _, export, _ = planned[stack]
    assert export["version"] == 3
    resources = export["deployment"]["resources"]
    assert resources[0]["type"] == "pulumi:pulumi:Stack"
    seen: set[str] = set()
    for resource in resources:
        assert resource.keys() >= EXPORT_RESOURCE_KEYS
        for reference in (resource.get("parent"), resource.get("provider", "").rsplit("::", 1)[0]):
            assert not reference or reference in seen, f"{resource['urn']} listed before {reference}"
        seen.add(resource["urn"])
        if resource["type"].startswith("snowflake:"):  # every Snowflake resource has an explicit provider
            assert resource["provider"].startswith("urn:pulumi:")


def test_prod_export_protects_database_and_schemas(planned: dict) -> None:
    _, _, export, _ = planned["prod"]
    stateful = [
        r
        for r in export["deployment"]["resources"]
        if r["type"] in {"snowflake:index/database:Database", "snowflake:index/schema:Schema"}
    ]
    assert len(stateful) == 17  # the database, 5 fixed schemas, 2 per each of 5 sources, AIRBYTE_INTERNAL
    assert all(r["protect"] for r in stateful)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_secrets_appear_only_as_secrets(planned: dict, stack: str) -> None:
    _, _, export, text = planned[stack]
    assert SECRET_STAND_IN not in text
    assert "OFFLINE_ACCOUNT" not in text and "OFFLINE_ORG" not in text
    # Airbyte's stand-in credentials and webhook, and the destination host (lower-case account names).
    assert not [s for s in ("offline-stand-in", "webhook.invalid", "offline_org") if s in text.lower()]
    provider = next(r for r in export["deployment"]["resources"] if r["type"] == "pulumi:providers:snowflake")
    assert (
        provider["inputs"]["token"]["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"
    )
    assert set(provider["inputs"]["token"]) == {"4dabf18193072939515e22adb298388d", "ciphertext"}


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py", "policies/config/dev.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("replace", "by", "key"),
    [
        (
            "size: XSMALL, monthlyCreditQuota: 4",
            "size: GIGANTIC, monthlyCreditQuota: 4",
            "warehouses.REALTIME.size",
        ),
        ("retentionDays: 1\n", "retentionDays: 1\n    owner: SYSADMIN\n", "database.owner"),
        ("name: SOPHIA_AI_DEV", "name: 'SOPHIA\"; DROP DATABASE X; --'", "database.name"),
    ],
    ids=["wrong size", "unknown key", "malicious identifier"],
)
def test_bad_stack_file_exits_2_naming_the_key(project_copy: Path, replace: str, by: str, key: str) -> None:
    stack_file = project_copy / "Pulumi.dev.yaml"
    assert replace in stack_file.read_text()
    stack_file.write_text(stack_file.read_text().replace(replace, by, 1))
    code, output, errors = _run(project_copy, "dev", project_copy / "build")
    assert code == EXIT_INVALID
    assert f"sophia-data-platform:{key}" in errors
    assert output == ""
    assert not (project_copy / "build").exists()


def test_any_stack_file_beside_the_project_can_be_planned(project_copy: Path) -> None:
    staging = (
        (project_copy / "Pulumi.dev.yaml").read_text().replace("environment: dev", "environment: staging")
    )
    (project_copy / "Pulumi.staging.yaml").write_text(staging.replace("SOPHIA_AI_DEV", "SOPHIA_AI_STG"))
    code, output, _ = _run(project_copy, "staging", project_copy / "build")
    assert code == EXIT_OK, output
    # No policies/config/staging.json: the role names and thresholds derive from the stack file.
    assert not (project_copy / "policies/config/staging.json").exists() and "no violations" in output
    assert "SOPHIA_AI_STG_ETL_WH" in output
    assert (project_copy / "build" / "staging" / "stack.json").is_file()


def test_unknown_stack_exits_2_listing_the_stacks(project_copy: Path) -> None:
    code, _, errors = _run(project_copy, "qa", project_copy / "build")
    assert code == EXIT_INVALID
    assert "Pulumi.qa.yaml" in errors and "dev" in errors


def test_mandatory_violation_exits_1_and_is_listed(project_copy: Path) -> None:
    stack_file = project_copy / "Pulumi.dev.yaml"
    stack_file.write_text(stack_file.read_text().replace("ML: {size: XSMALL", "ML: {size: LARGE", 1))
    code, output, _ = _run(project_copy, "dev", project_copy / "build")
    assert code == EXIT_FAILED
    assert "warehouse-size-within-limit" in output and "this stack allows at most SMALL" in output
    assert (project_copy / "build" / "dev" / "stack.json").is_file()


def test_advisory_violation_is_shown_but_does_not_fail(project_copy: Path) -> None:
    stack_file = project_copy / "Pulumi.dev.yaml"
    stack_file.write_text(
        stack_file.read_text().replace("ETL: {size: XSMALL", "ETL: {autoSuspendSeconds: 120, size: XSMALL", 1)
    )
    code, output, _ = _run(project_copy, "dev", project_copy / "build")
    assert code == EXIT_OK
    assert "advisory" in output and "warehouse-auto-suspend-limit" in output


def test_rbac_graph_is_written(planned: dict, tmp_path_factory: pytest.TempPathFactory) -> None:
    build = tmp_path_factory.mktemp("graph")
    _run(PROJECT_DIR, "dev", build)
    graph = (build / "dev" / "rbac.mmd").read_text()
    assert graph.startswith("flowchart LR")
    assert "user_SOPHIA_AI_DEV_AIRBYTE_SVC --> role_SOPHIA_AI_DEV_ETL_ROLE" in graph
    assert "role_SOPHIA_AI_DEV_ETL_ROLE -- USAGE --> wh_SOPHIA_AI_DEV_ETL_WH" in graph
    assert "role_SOPHIA_AI_DEV_APP_ROLE --> role_SOPHIA_AI_DEV_GONG_DATA_RAW" not in graph


def test_markdown_plan_has_tree_credits_and_policy_for_a_step_summary(project_copy: Path) -> None:
    stack_file = project_copy / "Pulumi.dev.yaml"
    # ANALYTICS runs nothing on a schedule, so its size breaks this one rule alone.
    stack_file.write_text(
        stack_file.read_text().replace("ANALYTICS: {size: XSMALL", "ANALYTICS: {size: LARGE", 1)
    )
    code, output, _ = _run(project_copy, "dev", project_copy / "build", ReportFormat.MARKDOWN)
    assert code == EXIT_FAILED
    assert output.startswith("## Offline plan: `dev`\n\n```text\n")
    fenced = output.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert "4 × snowflake:index/warehouse:Warehouse" in fenced and "Monthly credit ceiling" in fenced
    assert "Scheduled work, monthly credits at most (dev)" in fenced
    assert "### Policy pack: 1 mandatory, 0 advisory violations" in output
    assert (
        "| **mandatory** | `warehouse-size-within-limit` | `sophia-warehouses-analytics-warehouse`" in output
    )


def test_json_plan_is_one_document(project_copy: Path) -> None:
    code, output, _ = _run(project_copy, "dev", project_copy / "build", ReportFormat.JSON)
    assert code == EXIT_OK
    document = json.loads(output)
    assert document["stack"] == "dev" and document["monthlyCreditCeiling"] == pytest.approx(30.8)
    assert Path(document["export"]).is_file() and Path(document["rbacGraph"]).is_file()
    assert document["policy"]["mandatory"] == 0
    assert (
        document["policy"]["policyConfig"]
        == "derived from Pulumi.dev.yaml + policies/config/dev.json (stack dev)"
    )
