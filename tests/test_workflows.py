"""Our invariants over .github/: every stack previewed, checked for drift and deployed; every command and file
a workflow relies on exists; actions pinned; least privilege; credentials only through OIDC and ESC.

`make test` also validates the files against GitHub's schemas (check-jsonschema) and audits them (zizmor).
"""

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from offline.policy_check import load_policy_config
from offline.policy_pack_dist import DEFAULT_OUT
from offline.stack_files import available_stacks
from sophia.cli import build_parser, main
from tests.harness import PROJECT_DIR

GITHUB = PROJECT_DIR / ".github"
WORKFLOWS = {path.name: path for path in sorted((GITHUB / "workflows").glob("*.yml"))}
ACTIONS = sorted(GITHUB.glob("actions/*/action.yml"))
STACKS = available_stacks(PROJECT_DIR)
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
# `pulumi refresh --expect-no-changes` exits 7 on drift from this CLI version on.
DRIFT_EXIT_CODE_SINCE = (3, 227, 0)


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def _triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as true.
    return workflow.get("on", workflow.get(True)) or {}


def _jobs(name: str) -> dict[str, Any]:
    return _load(WORKFLOWS[name])["jobs"]


def _steps() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, path in WORKFLOWS.items():
        for job in _load(path)["jobs"].values():
            for step in job.get("steps", []):
                yield name, step
    for path in ACTIONS:
        for step in _load(path)["runs"].get("steps", []):
            yield str(path.relative_to(PROJECT_DIR)), step


def _commands(script: str) -> Iterator[list[str]]:
    """Each simple command of a run script, split as the shell would, without redirections."""
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split, lexer.commenters = True, "#"
        command: list[str] = []
        redirected = False
        for token in [*lexer, ";"]:
            if token in {";", "&&", "||", "|", "&"}:
                if command:
                    yield command
                command = []
            elif set(token) <= set("<>&"):
                redirected = True
            elif redirected:
                redirected = False
            else:
                command.append(token)


def _with_stack(words: list[str], stack: str) -> list[str]:
    return [word.replace("$STACK", stack) for word in words]


def test_every_stack_is_planned_previewed_checked_for_drift_and_deployed() -> None:
    for workflow, job in (("pull-request.yml", "plan"), ("preview.yml", "preview"), ("drift.yml", "drift")):
        jobs = _jobs(workflow)
        assert jobs["stacks"]["uses"] == "./.github/workflows/stacks.yml", workflow
        assert jobs[job]["needs"] == "stacks"
        assert jobs[job]["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.stacks.outputs.stacks) }}"
    # Deploys go in waves by environment (tests/test_workflow_stacks.py): every wave reads its stacks.
    deploy = _jobs("deploy.yml")
    assert deploy["stacks"]["uses"] == "./.github/workflows/stacks.yml"
    waves = [job for job in deploy.values() if job.get("uses") == "./.github/workflows/deploy-stack.yml"]
    assert waves and all(job["with"]["stack"] == "${{ matrix.stack }}" for job in waves)


def test_every_stack_takes_its_credentials_from_esc_and_no_workflow_reads_a_secret() -> None:
    for stack in STACKS:
        assert yaml.safe_load((PROJECT_DIR / f"Pulumi.{stack}.yaml").read_text())["environment"], stack
    for name, path in WORKFLOWS.items():
        assert "secrets." not in path.read_text(), f"{name} reads a GitHub secret"


def test_every_sophia_and_make_command_a_workflow_runs_exists() -> None:
    parser = build_parser()
    makefile = (PROJECT_DIR / "Makefile").read_text()
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    seen = set()
    for where, step in _steps():
        for words in _commands(step.get("run", "")):
            program = Path(words[0]).name
            if program == "sophia":
                for stack in STACKS:
                    parser.parse_args(
                        _with_stack(words[1:], stack)
                    )  # exits (fails the test) on a bad argument
                seen.add(f"sophia {words[1]}")
            elif program == "make":
                asked = [w for w in words[1:] if not w.startswith("-") and "=" not in w and w != "base"]
                assert set(asked) <= targets, f"{where}: make {asked}"
                seen.update(f"make {target}" for target in asked)
    assert {
        "sophia plan",
        "sophia policy-check",
        "sophia guard",
        "make test",
        "make install",
    } <= seen


def test_every_local_action_and_reusable_workflow_exists() -> None:
    for where, step in _steps():
        uses = step.get("uses", "")
        if uses.startswith("./"):
            assert (PROJECT_DIR / uses / "action.yml").is_file(), f"{where}: {uses}"
    for job in _jobs("deploy.yml").values():
        assert (PROJECT_DIR / job["uses"]).is_file()
        assert "workflow_call" in _triggers(_load(PROJECT_DIR / job["uses"]))


def _pack_steps() -> Iterator[tuple[str, list[dict[str, Any]], dict[str, str]]]:
    """Each step that runs the policy pack: its workflow, the steps of its job before it, its inputs."""
    for name, path in WORKFLOWS.items():
        for job in _load(path)["jobs"].values():
            steps = job.get("steps", [])
            for index, step in enumerate(steps):
                if "policyPacks" in (step.get("with") or {}):
                    yield name, steps[:index], step["with"]


def test_the_policy_pack_and_each_stacks_config_exist(tmp_path: Path) -> None:
    found = list(_pack_steps())
    assert found, "no workflow runs the policy pack"
    for name, earlier, inputs in found:
        pack = PROJECT_DIR / inputs["policyPacks"]
        assert yaml.safe_load((pack / "PulumiPolicy.yaml").read_text())["runtime"]["name"] == "python"
        assert (pack / "requirements.txt").is_file()
        config = re.sub(r"\$\{\{ (matrix|inputs)\.stack \}\}", "$STACK", inputs["policyPackConfigs"])
        writers = [
            words
            for step in earlier
            for words in _commands(step.get("run", ""))
            if words[1:3] == ["policy-config", "$STACK"] and words[-2:] == ["--out", config]
        ]
        assert writers, f"{name}: no step before the pack writes {config} with sophia policy-config"
        for stack in STACKS:
            out = tmp_path / f"{name}-{stack}.json"
            assert main(["policy-config", stack, "--out", str(out), "--project-dir", str(PROJECT_DIR)]) == 0
            assert load_policy_config(PROJECT_DIR, str(out)), (name, stack)


def test_the_published_pack_is_the_one_make_policy_pack_assembles() -> None:
    (job,) = _jobs("policy-pack.yml").values()
    runs = [
        (step.get("working-directory", "."), words)
        for step in job["steps"]
        for words in _commands(step.get("run", ""))
    ]
    assemble = runs.index((".", ["make", "policy-pack"]))
    (publish,) = [
        index for index, (_, words) in enumerate(runs) if words[:3] == ["pulumi", "policy", "publish"]
    ]
    assert assemble < publish and runs[publish][0] == str(DEFAULT_OUT)
    recipe = re.search(
        r"^policy-pack:.*\n\t(.*)$", (PROJECT_DIR / "Makefile").read_text(), re.MULTILINE
    ).group(1)
    assert recipe.split()[-2:] == ["offline.policy_pack_dist", str(DEFAULT_OUT)]
    assert job["environment"] == "policy-pack"


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment() -> None:
    for path in [*WORKFLOWS.values(), *ACTIONS]:
        for line in path.read_text().splitlines():
            match = re.match(r"^\s*(?:- )?uses: (\S+)(.*)$", line)
            if match and not match.group(1).startswith("./"):
                assert PINNED.match(match.group(1)), f"{path.name}: {line.strip()}"
                assert re.match(r"\s+# v\d+(\.\d+)*$", match.group(2)), f"{path.name}: no version comment"


def test_the_pulumi_cli_matches_the_sdk_and_knows_the_drift_exit_code() -> None:
    pinned = re.search(r'"pulumi==([\d.]+)"', (PROJECT_DIR / "pyproject.toml").read_text()).group(1)
    versions = {
        (step.get("with") or {}).get("pulumi-version")
        for _, step in _steps()
        if step.get("uses", "").startswith("pulumi/actions@")
    }
    assert versions == {pinned}
    assert tuple(int(part) for part in pinned.split(".")) >= DRIFT_EXIT_CODE_SINCE


def test_least_privilege_and_no_pull_request_target() -> None:
    for name, path in WORKFLOWS.items():
        workflow = _load(path)
        assert "pull_request_target" not in _triggers(workflow), name
        assert workflow["permissions"] == {}, f"{name}: the workflow grants nothing by default"
        for job_id, job in workflow["jobs"].items():
            assert "permissions" in job, f"{name}: job {job_id} declares its permissions"
            assert "write-all" not in str(job["permissions"])
    offline = _jobs("pull-request.yml")
    assert all("id-token" not in job["permissions"] for job in offline.values()), (
        "fork pull requests get no OIDC"
    )


def test_cloud_jobs_log_in_through_oidc() -> None:
    for name in ("preview.yml", "drift.yml", "deploy-stack.yml", "policy-pack.yml"):
        (job,) = [
            job for job in _jobs(name).values() if "steps" in job
        ]  # the stack list is a called workflow
        assert job["permissions"]["id-token"] == "write"
        assert any(step.get("uses", "").startswith("pulumi/auth-actions@") for step in job["steps"]), name


def test_preview_runs_only_for_branches_of_this_repository() -> None:
    assert (
        _jobs("preview.yml")["preview"]["if"]
        == "github.event.pull_request.head.repo.full_name == github.repository"
    )


def test_drift_never_writes_state() -> None:
    job = _jobs("drift.yml")["drift"]
    assert not any((step.get("with") or {}).get("command") == "refresh" for step in job["steps"])
    refresh = [
        words
        for step in job["steps"]
        for words in _commands(step.get("run", ""))
        if words[:2] == ["pulumi", "refresh"]
    ]
    assert refresh and all({"--preview-only", "--expect-no-changes"} <= set(words) for words in refresh)
    triggers = _triggers(_load(WORKFLOWS["drift.yml"]))
    assert "schedule" in triggers and "workflow_dispatch" in triggers


def test_deploy_exports_state_first_and_updates_one_stack_at_a_time() -> None:
    (job,) = _jobs("deploy-stack.yml").values()
    assert job["environment"] == "${{ inputs.stack }}"
    assert job["concurrency"] == {"group": "pulumi-up-${{ inputs.stack }}", "cancel-in-progress": False}
    order = [step.get("name", step.get("uses", "")) for step in job["steps"]]
    assert order.index("export the state before the update") < order.index("keep the exported state")
    assert order.index("keep the exported state") < order.index("pulumi up with the policy pack")
    up = next(step for step in job["steps"] if step.get("name") == "pulumi up with the policy pack")
    assert up["with"]["command"] == "up" and up["with"]["policyPacks"] == "policies"
    assert _triggers(_load(WORKFLOWS["deploy.yml"])) == {"push": {"branches": ["main"]}}


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            'sophia plan "$STACK" --format markdown >> "$GITHUB_STEP_SUMMARY"',
            [["sophia", "plan", "$STACK", "--format", "markdown"]],
        ),
        (
            "bin/sophia plan dev > /dev/null || test -f x",
            [["bin/sophia", "plan", "dev"], ["test", "-f", "x"]],
        ),
    ],
)
def test_run_scripts_are_split_into_commands(script: str, expected: list[list[str]]) -> None:
    assert list(_commands(script)) == expected
