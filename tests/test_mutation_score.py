"""Mutation testing of the pack: one-property changes of the shipped exports that break a promise are all caught."""

import copy
import io

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from offline.mutants import mutants
from offline.mutation_score import FastPack, report, sample, score
from offline.policy_check import check, load_export, load_policy_config
from sophia.cli import EXIT_OK, plan
from tests.harness import PROJECT_DIR

pytestmark = pytest.mark.long

# Mutants judged per family and stack: about 60 s on one loaded core. `python -m offline.mutation_score` judges all.
SAMPLE_PER_FAMILY = 40


@pytest.fixture(scope="module", params=["dev", "prod"])
def shipped(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[list, dict]:
    """A shipped stack's export, as `bin/sophia plan` writes it, and its policy config."""
    build = tmp_path_factory.mktemp(f"build-{request.param}")
    quiet = Console(file=io.StringIO())
    assert plan(PROJECT_DIR, request.param, build, ReportFormat.TEXT, quiet, quiet) == EXIT_OK
    resources = load_export(build / request.param / "stack.json")
    return resources, load_policy_config(PROJECT_DIR, request.param)


def test_the_shipped_export_passes_so_each_mutant_is_judged_alone(shipped) -> None:
    resources, config = shipped
    assert [v for v in check(resources, config) if v.mandatory] == []


def test_every_promise_breaking_mutant_is_caught(shipped) -> None:
    resources, config = shipped
    result = score(resources, config, SAMPLE_PER_FAMILY)
    print(report(result))
    assert sum(result.breaking.values()) >= 80 and set(result.breaking) >= {
        "grant re-targeted", "boolean flipped", "schedule tightened", "secret unwrapped", "IP range widened",
    }  # fmt: skip
    assert [(m.urn, m.change, m.breaks) for m in result.slipped] == []


def test_the_shortcut_judges_as_the_analyzer_does(shipped) -> None:
    resources, config = shipped
    pack = FastPack(resources, config)
    for mutant in sample(mutants(resources), 1):
        expected = {v.rule for v in check(mutant.applied(resources), config) if v.mandatory}
        assert pack.caught(mutant) == expected, (mutant.family, mutant.change)


def test_a_rule_taken_away_lets_its_mutants_slip(shipped) -> None:
    resources, config = shipped
    weakened = {**config, "tasks-never-overlap": {"enforcementLevel": "disabled"}}
    overlapping = [m for m in mutants(resources) if m.breaks == "tasks never overlap"]
    pack = FastPack(resources, weakened)
    assert overlapping and all(pack.caught(m) == set() for m in overlapping)


def test_mutants_are_the_same_every_run_and_change_only_copies(shipped) -> None:
    resources, _ = shipped
    before = copy.deepcopy(resources)
    first, second = sample(mutants(resources), 5), sample(mutants(resources), 5)
    assert [(m.urn, m.change) for m in first] == [(m.urn, m.change) for m in second]
    changed = [m.applied(resources) for m in first]
    assert resources == before and all(c != before for c in changed)
