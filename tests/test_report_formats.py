"""Policy reports in every format: text blocks that never break a URN, GitHub annotations, SARIF, Markdown."""

import json
from pathlib import Path

import pytest
from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as SarifLog
from rich.console import Console

from offline.ci_formats import ReportFormat, github_command, markdown_cell
from offline.source_locations import SourceLocation
from sophia.cli import EXIT_FAILED, policy_check
from tests.harness import PROJECT_DIR

WAREHOUSE = "snowflake:index/warehouse:Warehouse"
ACCOUNT_GRANT = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"


@pytest.fixture(scope="module")
def broken(dev_export: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The dev export with a warehouse too big and a grant to PUBLIC (which two rules refuse): three mandatory
    violations, and one advisory."""
    document = json.loads(dev_export.read_text())
    resources = document["deployment"]["resources"]
    warehouses = {r["inputs"]["name"]: r for r in resources if r["type"] == WAREHOUSE}
    warehouses["SOPHIA_AI_DEV_ANALYTICS_WH"]["inputs"]["warehouseSize"] = "MEDIUM"
    warehouses["SOPHIA_AI_DEV_ETL_WH"]["inputs"]["autoSuspend"] = 120
    grant = next(r for r in resources if r["type"] == ACCOUNT_GRANT and "FunctionalRoles" in r["urn"])
    grant["inputs"]["accountRoleName"] = "PUBLIC"
    path = tmp_path_factory.mktemp("broken") / "stack.json"
    path.write_text(json.dumps(document))
    urns = {
        "analytics": warehouses["SOPHIA_AI_DEV_ANALYTICS_WH"]["urn"],
        "etl": warehouses["SOPHIA_AI_DEV_ETL_WH"]["urn"],
        "grant": grant["urn"],
    }
    return path, urns


def _report(export: Path, fmt: ReportFormat, width: int = 1000) -> str:
    # A narrow console that is not a terminal: what a CI log gets.
    console = Console(record=True, width=width, force_terminal=False)
    assert policy_check(export, None, fmt, PROJECT_DIR, console, Console(record=True)) == EXIT_FAILED
    return console.export_text()


def _stack_line(number: int) -> str:
    return (PROJECT_DIR / "Pulumi.dev.yaml").read_text().splitlines()[number - 1]


def test_text_prints_one_block_per_violation_with_urns_unbroken(broken: tuple[Path, dict]) -> None:
    export, urns = broken
    output = _report(export, ReportFormat.TEXT, width=40)
    assert (
        "policy config: derived from Pulumi.dev.yaml + policies/config/dev.json (stack dev, named in the export's URNs)"
        in output
    )
    assert "policy pack: 3 mandatory, 1 advisory violations" in output
    lines = output.splitlines()
    for urn in urns.values():
        assert f"  urn:         {urn}" in lines
    assert "[mandatory] warehouse-size-within-limit (high)" in lines
    assert "  resource:    sophia-warehouses-analytics-warehouse" in lines
    assert "[advisory] warehouse-auto-suspend-limit (medium)" in lines
    blocks = output.split("\n\n")[1:]
    assert [block.splitlines()[0].split()[0] for block in blocks] == [
        "[mandatory]",
        "[mandatory]",
        "[mandatory]",
        "[advisory]",
    ]


def test_github_format_annotates_each_violation_at_its_source(broken: tuple[Path, dict]) -> None:
    export, urns = broken
    lines = _report(export, ReportFormat.GITHUB).splitlines()
    assert lines[0] == (
        "::notice title=policy config::policy config: derived from Pulumi.dev.yaml + policies/config/dev.json (stack dev, named in the export's URNs)"
    )
    size = next(line for line in lines if "title=warehouse-size-within-limit" in line)
    properties, message = size.removeprefix("::error ").split("::", 1)
    fields = dict(pair.split("=", 1) for pair in properties.split(","))
    assert fields["file"] == "Pulumi.dev.yaml" and fields["title"] == "warehouse-size-within-limit"
    assert _stack_line(int(fields["line"])).strip().startswith("ANALYTICS:")
    assert message.startswith(
        "sophia-warehouses-analytics-warehouse is MEDIUM; this stack allows at most SMALL.%0A"
    )
    assert f"%0AURN: {urns['analytics']}" in message and "\n" not in message
    public = next(line for line in lines if "title=no-grants-to-public" in line)
    assert public.startswith("::error file=components/roles.py,line=")
    advisory = next(line for line in lines if "title=warehouse-auto-suspend-limit" in line)
    assert advisory.startswith("::warning file=Pulumi.dev.yaml,")


def test_sarif_validates_against_the_sarif_schema_and_points_at_sources(broken: tuple[Path, dict]) -> None:
    export, urns = broken
    document = json.loads(_report(export, ReportFormat.SARIF))
    SarifLog.model_validate(document)
    (run,) = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "sophia-snowflake-policies"
    assert {"warehouse-auto-suspends", "no-grants-to-public"} <= {rule["id"] for rule in rules}
    assert run["invocations"][0]["properties"]["policyConfig"].startswith(
        "derived from Pulumi.dev.yaml + policies/config/dev.json"
    )
    by_urn = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r for r in run["results"]}
    size = by_urn[urns["analytics"]]
    assert rules[size["ruleIndex"]]["id"] == size["ruleId"] == "warehouse-size-within-limit"
    assert size["level"] == "error" and by_urn[urns["etl"]]["level"] == "warning"
    physical = size["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "Pulumi.dev.yaml"
    assert _stack_line(physical["region"]["startLine"]).strip().startswith("ANALYTICS:")
    assert size["locations"][0]["message"]["text"] == "sophia-data-platform:warehouses.ANALYTICS"
    declared = size["relatedLocations"][0]["physicalLocation"]
    source = (PROJECT_DIR / declared["artifactLocation"]["uri"]).read_text().splitlines()
    assert "snowflake.Warehouse(" in source[declared["region"]["startLine"] - 1]
    grant = [r for r in run["results"] if r["ruleId"] == "no-grants-to-public"]
    grant_location = grant[0]["locations"][0]["physicalLocation"]
    assert grant_location["artifactLocation"]["uri"] == "components/roles.py"
    fingerprints = [next(iter(r["partialFingerprints"].values())) for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_schema_check_rejects_what_code_scanning_would(broken: tuple[Path, dict]) -> None:
    export, _ = broken
    document = json.loads(_report(export, ReportFormat.SARIF))
    document["runs"][0]["results"][0]["level"] = "mandatory"
    with pytest.raises(ValueError, match="level"):
        SarifLog.model_validate(document)


def test_markdown_is_a_summary_table(broken: tuple[Path, dict]) -> None:
    export, urns = broken
    output = _report(export, ReportFormat.MARKDOWN)
    assert output.startswith("### Policy pack: 3 mandatory, 1 advisory violations\n")
    assert (
        "Policy config: `derived from Pulumi.dev.yaml + policies/config/dev.json (stack dev, named in the export's URNs)`"
        in output
    )
    row = next(line for line in output.splitlines() if "`warehouse-size-within-limit`" in line)
    assert row.startswith(
        "| **mandatory** | `warehouse-size-within-limit` | `sophia-warehouses-analytics-warehouse`"
    )
    assert urns["analytics"] in row and row.count(" | ") == 4


def test_clean_report_in_every_format_names_the_config(dev_export: Path) -> None:
    for fmt in ReportFormat:
        console = Console(record=True, width=1000)
        assert policy_check(dev_export, None, fmt, PROJECT_DIR, console, Console(record=True)) == 0
        assert "policies/config/dev.json" in console.export_text(), fmt


def test_workflow_commands_escape_as_actions_core_does() -> None:
    location = SourceLocation("dir,with:marks/file.yaml", 3, "x")
    command = github_command("error", "50% done\r\nnext", "a,b:c", location)
    assert command == "::error file=dir%2Cwith%3Amarks/file.yaml,line=3,title=a%2Cb%3Ac::50%25 done%0D%0Anext"


def test_markdown_cells_keep_their_table_intact() -> None:
    assert markdown_cell("a | b\nc") == "a \\| b<br>c"
