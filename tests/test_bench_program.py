"""The benchmark's generated stack still plans through the platform, so the benchmark cannot rot unseen."""

from bench.plan_bench import GENERATED_PROGRAM
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
