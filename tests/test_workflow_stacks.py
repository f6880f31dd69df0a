"""Workflows read the stacks there are: stacks.yml lists them by the environment each declares, and deploy.yml
deploys them in that order, dev, staging, prod, so a stack that `sophia new-stack` makes is deployed unedited.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.enums import Environment
from offline.stack_files import load_stack_files
from sophia.cli import main
from stack.loader import load_stack_config
from tests.harness import PROJECT_DIR, STACKS

WORKFLOWS = PROJECT_DIR / ".github" / "workflows"
WAVES = [environment.value for environment in Environment]
DEPLOY_STACK = "./.github/workflows/deploy-stack.yml"


def _workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def _listed(project: Path) -> subprocess.CompletedProcess[str]:
    """Runs stacks.yml's listing step in `project`, as the runner would (bash, the system's python3)."""
    (run,) = [step["run"] for step in _workflow("stacks.yml")["jobs"]["list"]["steps"] if "run" in step]
    output = Path(tempfile.mkdtemp()) / "github_output"  # never in the project: it may be the repository
    output.write_text("")
    done = subprocess.run(
        ["bash", "-c", run],
        cwd=project,
        env={**os.environ, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
    )
    done.stdout = output.read_text()
    return done


def _outputs(project: Path) -> dict[str, list[str]]:
    done = _listed(project)
    assert done.returncode == 0, done.stderr
    return {
        key: json.loads(value) for key, _, value in (line.partition("=") for line in done.stdout.splitlines())
    }


def _stack_file(project: Path, stack: str, line: str) -> None:
    (project / f"Pulumi.{stack}.yaml").write_text(f"environment: [sophia-ai/{stack}]\nconfig:\n  {line}\n")


def test_stacks_are_listed_by_the_environment_their_files_declare(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: sophia-data-platform\n")
    _stack_file(tmp_path, "dev", "sophia-data-platform:environment: dev")
    _stack_file(tmp_path, "prod", 'sophia-data-platform:environment: "prod"   # the real one')
    _stack_file(tmp_path, "qa-eu", "sophia-data-platform:environment: 'staging'")
    _stack_file(tmp_path, "prod-eu", "sophia-data-platform:environment: prod")
    # A line commented out is not read, as YAML does not read it: qa-us is staging, not prod nor refused.
    _stack_file(
        tmp_path,
        "qa-us",
        "# sophia-data-platform:environment: prod\n  sophia-data-platform:environment: staging",
    )
    assert _outputs(tmp_path) == {
        "stacks": ["dev", "prod", "prod-eu", "qa-eu", "qa-us"],
        "dev": ["dev"],
        "staging": ["qa-eu", "qa-us"],
        "prod": ["prod", "prod-eu"],
    }


@pytest.mark.parametrize(
    "line",
    [
        "sophia-data-platform:namePrefix: SOPHIA_AI_X",  # no environment: it could be prod
        "sophia-data-platform:environment: production",  # not an environment the config takes
        "sophia-data-platform:environment: dev\n  sophia-data-platform:environment: prod",  # which one?
    ],
)
def test_a_stack_whose_environment_cannot_be_read_stops_the_listing(tmp_path: Path, line: str) -> None:
    _stack_file(tmp_path, "dev", "sophia-data-platform:environment: dev")
    _stack_file(tmp_path, "odd", line)
    done = _listed(tmp_path)
    assert done.returncode != 0
    assert "Pulumi.odd.yaml" in done.stderr and "Pulumi.dev.yaml" not in done.stderr
    assert done.stdout == ""


def test_the_listing_reads_each_stack_file_as_the_program_does() -> None:
    listed = _outputs(PROJECT_DIR)
    assert listed["stacks"] == STACKS
    for stack in STACKS:
        files = load_stack_files(PROJECT_DIR, stack)
        environment = load_stack_config(files.project, files.values, files.secret_keys).environment
        assert stack in listed[environment.value], (stack, environment)


def test_stacks_yml_outputs_every_environment_and_deploy_goes_through_them_in_order() -> None:
    outputs = _workflow("stacks.yml")[True]["workflow_call"]["outputs"]  # YAML 1.1 reads `on` as true
    assert list(outputs) == ["stacks", *WAVES]
    jobs = _workflow("deploy.yml")["jobs"]
    waves = [name for name, job in jobs.items() if job.get("uses") == DEPLOY_STACK]
    assert waves == WAVES
    for index, wave in enumerate(waves):
        job = jobs[wave]
        needs = [job["needs"]] if isinstance(job["needs"], str) else job["needs"]
        # Each wave waits for every earlier one, so a failure two waves back still stops it.
        assert needs == ["stacks", *waves[:index]], wave
        assert job["strategy"]["matrix"]["stack"] == f"${{{{ fromJSON(needs.stacks.outputs.{wave}) }}}}"
        assert job["with"] == {"stack": "${{ matrix.stack }}"}
        assert f"needs.stacks.outputs.{wave} != '[]'" in job["if"]
        if index:
            assert "!cancelled()" in job["if"] and "!contains(needs.*.result, 'failure')" in job["if"]
    # Approvals stay per stack: the called workflow's job runs in the GitHub environment named after it.
    (deploy,) = _workflow("deploy-stack.yml")["jobs"].values()
    assert deploy["environment"] == "${{ inputs.stack }}"


@pytest.mark.parametrize(
    ("name", "source", "wave"), [("staging", "dev", "staging"), ("prod-eu", "prod", "prod")]
)
def test_a_stack_sophia_new_stack_makes_reaches_its_deploy_wave(
    tmp_path: Path, name: str, source: str, wave: str
) -> None:
    for path in (PROJECT_DIR / "Pulumi.yaml", PROJECT_DIR / f"Pulumi.{source}.yaml"):
        shutil.copy(path, tmp_path / path.name)
    assert main(["new-stack", name, "--from", source, "--project-dir", str(tmp_path)]) == 0
    listed = _outputs(tmp_path)
    assert name in listed["stacks"] and name in listed[wave]
    assert [w for w in WAVES if name in listed[w]] == [wave]
