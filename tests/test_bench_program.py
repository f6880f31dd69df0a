"""The benchmark's programs still run: the generated stack plans through the platform, the floor registers it all."""

import json
import subprocess
import sys
from pathlib import Path

from bench.commands import GENERATED_PROGRAM, floor_command, generated_project, plan_command, timed
from offline.engine import run_program
from offline.export import to_deployment
from offline.policy_check import check, load_policy_config
from offline.stack_files import load_stack_files
from tests.harness import PROJECT_DIR


def test_the_generated_stack_plans_and_passes_the_policy_pack() -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    values = {**files.values, "bench:sources": "2"}
    run = run_program(GENERATED_PROGRAM, files.project, "dev", values, files.secret_keys)
    names = {r.name for r in run.registrations}
    assert {"sophia-database-schema-source_000_data_raw", "sophia-database-schema-source_001_data"} <= names
    violations = check(to_deployment(run)["deployment"]["resources"], load_policy_config(PROJECT_DIR, "dev"))
    assert not [v for v in violations if v.mandatory]


def test_the_floor_registers_every_resource_the_plan_did_and_the_plan_command_runs(tmp_path: Path) -> None:
    project = generated_project(tmp_path, 1)
    floor, count = floor_command(project, "dev", tmp_path / "build")
    manifest = json.loads(Path(floor[-1]).read_text())
    planned = sorted(
        f"{r['type']}::{r['name']}" for r in manifest["resources"] if r["type"] != "pulumi:pulumi:Stack"
    )
    for runtime in ([], ["--same-runtime"]):  # Python's own, and the plan's (no collector, frozen exit)
        done = subprocess.run([*floor, *runtime], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
        assert sorted(json.loads(done.stdout.splitlines()[-1])) == planned
    assert count == sum(1 for r in manifest["resources"] if r["custom"]) > 240
    plan = subprocess.run(plan_command(project, "dev", tmp_path / "plans"), capture_output=True, text=True)
    assert plan.returncode == 0, plan.stdout[-2000:] + plan.stderr[-2000:]
    export = json.loads((tmp_path / "plans" / "dev" / "stack.json").read_text())
    assert {r["urn"] for r in export["deployment"]["resources"]} == {r["urn"] for r in manifest["resources"]}


def test_the_peak_memory_is_the_commands_own_not_this_process_size() -> None:
    ballast = b"\x01" * (120 * 1024 * 1024)  # resident: this process is larger than either command below
    small = timed([sys.executable, "-c", "pass"], PROJECT_DIR)
    large = timed([sys.executable, "-c", "x = bytearray(80 * 1024 * 1024)"], PROJECT_DIR)
    assert small.peak_mib < 60 < 80 < large.peak_mib < 120
    assert len(ballast) and small.seconds > 0
