"""The `sophia` command, installed and through `bin/sophia`, run as a user runs them: help, exit codes 0 / 1 / 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sophia.cli import build_parser
from tests.harness import PROJECT_DIR

SOPHIA = Path(sys.executable).parent / "sophia"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def violating_export(dev_export: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    document = json.loads(dev_export.read_text())
    warehouse = next(r for r in document["deployment"]["resources"] if r["type"] == WAREHOUSE)
    warehouse["inputs"]["warehouseSize"] = "X6LARGE"
    path = tmp_path_factory.mktemp("violating") / "stack.json"
    path.write_text(json.dumps(document))
    return path


def test_help_lists_every_command_and_the_exit_codes() -> None:
    result = _run(SOPHIA, "--help")
    assert result.returncode == 0
    for command in ("plan", "policy-check", "guard"):
        assert command in result.stdout
    assert "1  a mandatory policy violation, or a destructive change nobody allowed" in result.stdout
    for command in ("plan", "policy-check", "guard"):
        sub = _run(SOPHIA, command, "--help")
        assert sub.returncode == 0 and "exit codes:" in sub.stdout and "--format" in sub.stdout


def test_policy_violation_exits_1(violating_export: Path) -> None:
    result = _run(SOPHIA, "policy-check", violating_export, "--format", "github")
    assert result.returncode == 1, result.stderr
    assert any(line.startswith("::error file=Pulumi.dev.yaml,") for line in result.stdout.splitlines())


def test_clean_export_exits_0(dev_export: Path) -> None:
    result = _run(SOPHIA, "policy-check", dev_export)
    assert result.returncode == 0 and "policy pack: no violations" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("plan", "qa"), "no stack file Pulumi.qa.yaml; stacks here: dev, prod"),
        (("policy-check", "missing.json"), "cannot read missing.json"),
        (("guard",), "give either BASE_EXPORT HEAD_EXPORT or --preview-json FILE"),
        (("plan", "dev", "--format", "yaml"), "invalid choice: 'yaml'"),
        (("guard", "--preview-json", "p.json", "--format", "sarif"), "invalid choice: 'sarif'"),
    ],
    ids=["unknown stack", "missing export", "guard without inputs", "unknown format", "guard sarif"],
)
def test_bad_input_exits_2_with_a_message(arguments: tuple[str, ...], message: str) -> None:
    result = _run(SOPHIA, *arguments)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def test_bin_sophia_passes_the_commands_exit_code_through(violating_export: Path) -> None:
    # The README's first command: from a fresh clone: set-up in front, then sophia's own code.
    result = _run(PROJECT_DIR / "bin" / "sophia", "policy-check", str(violating_export), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["mandatory"] == 1


def test_bin_sophia_passes_a_clean_export(dev_export: Path) -> None:
    result = _run(PROJECT_DIR / "bin" / "sophia", "policy-check", str(dev_export), "--policy-config", "dev")
    assert result.returncode == 0 and "policy pack: no violations" in result.stdout


def test_bin_sophia_bad_input_exits_2() -> None:
    result = _run(PROJECT_DIR / "bin" / "sophia", "plan", "no-such-stack")
    assert result.returncode == 2 and "Pulumi.no-such-stack.yaml" in result.stderr


def test_every_subcommand_has_a_handler() -> None:
    parser = build_parser()
    for command in ("plan", "policy-check", "guard"):
        arguments = {"plan": ["dev"], "policy-check": ["x.json"], "guard": []}[command]
        assert callable(parser.parse_args([command, *arguments]).run)
