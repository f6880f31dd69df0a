"""`sophia new-stack NAME --from STACK`: one command adds a stack that plans, and says what its secrets are."""

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.stack_files import load_stack_files
from sophia.cli import EXIT_INVALID, EXIT_OK, main, plan
from stack.loader import load_stack_config
from tests.harness import PROJECT_DIR


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    return tmp_path


def _new(project: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["new-stack", *argv, "--project-dir", str(project)])
    return code, out.getvalue(), err.getvalue()


def test_a_new_stack_is_the_copy_with_its_names_changed_and_it_plans(project: Path) -> None:
    code, _, _ = _new(project, "staging", "--from", "dev")
    assert code == EXIT_OK
    files = load_stack_files(project, "staging")
    config = load_stack_config(files.project, files.values, files.secret_keys)
    assert (config.name_prefix, config.database.name, config.environment.value) == (
        "SOPHIA_AI_STAGING",
        "SOPHIA_AI_STAGING",
        "staging",
    )
    assert yaml.safe_load((project / "Pulumi.staging.yaml").read_text())["environment"] == [
        "sophia-ai/staging"
    ]
    source, copy = ((project / f"Pulumi.{s}.yaml").read_text() for s in ("dev", "staging"))
    assert copy.count("\n#") == source.count("\n#")  # comments kept
    console, shown = (
        Console(file=io.StringIO(), width=200),
        Console(file=io.StringIO(), width=200, record=True),
    )
    # No policy config of its own: role names, network ranges and thresholds derive from the stack file.
    assert not (project / "policies" / "config" / "staging.json").exists()
    assert plan(project, "staging", project / "build", ReportFormat.TEXT, shown, console) == EXIT_OK
    report = shown.export_text()
    assert "policy pack: no violations" in report
    assert "policy config: derived from Pulumi.staging.yaml (stack staging)" in report
    assert "SOPHIA_AI_DEV" not in (project / "build" / "staging" / "stack.json").read_text()


def test_it_says_what_the_esc_environment_must_hold(project: Path) -> None:
    _, output, _ = _new(project, "staging", "--from", "dev")
    assert "put in the ESC environment sophia-ai/staging (values.pulumiConfig):" in output
    skeleton = output[output.index("put in") :].split("\n", 1)[1].rsplit("then:", 1)[0]
    document = yaml.safe_load(skeleton)
    secrets = document["sophia-data-platform:airbyteSecrets"]["fn::secret"]
    assert set(secrets["sources"]) == {"GONG", "HUBSPOT", "SLACK"}
    assert set(secrets["sources"]["GONG"]["credentials"]) == {"access_key", "access_key_secret"}
    assert set(document["sophia-data-platform:servicePublicKeys"]) == {"AIRBYTE", "APP", "HOOKS"}
    assert document["sophia-data-platform:qualityGateSecrets"] == {
        "fn::secret": {"webhookUrl": "<webhookUrl>"}
    }
    assert output.rstrip().endswith("then: bin/sophia plan staging")


def test_a_stack_not_named_for_an_environment_keeps_the_sources(project: Path) -> None:
    code, output, _ = _new(project, "qa-eu", "--from", "prod")
    assert code == EXIT_OK and "SOPHIA_AI -> SOPHIA_AI_QA_EU" in output and "environment stays prod" in output


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("staging", "--from", "qa"), "no stack 'qa' to copy; stacks here: dev, prod"),
        (("dev", "--from", "prod"), "Pulumi.dev.yaml exists already"),
        (("Staging", "--from", "dev"), "stack name 'Staging' is not allowed"),
        (("../x", "--from", "dev"), "stack name '../x' is not allowed"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(project: Path, argv: tuple[str, ...], message: str) -> None:
    before = sorted(p.name for p in project.iterdir())
    code, output, errors = _new(project, *argv)
    assert code == EXIT_INVALID and message in errors and output == ""
    assert sorted(p.name for p in project.iterdir()) == before
