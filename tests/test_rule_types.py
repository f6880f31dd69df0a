"""Resource rules name the types they judge; the offline check skips the rest and still reports what the CLI would."""

import io

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, Severity
from rich.console import Console

from offline import policy_check
from offline.ci_formats import ReportFormat
from offline.mutants import mutants
from offline.mutation_score import sample
from offline.policy_check import check, load_export, load_policy_config
from policies.sophia_policies.registry import ALL_RULES
from policies.sophia_policies.rule import ResourceRule, resource_rule
from sophia.cli import EXIT_OK, plan
from stack import sdk_internals
from tests.harness import PROJECT_DIR

pytestmark = pytest.mark.long


def test_every_resource_rule_of_the_pack_names_the_types_it_judges() -> None:
    resource_rules = [rule for rule in ALL_RULES if isinstance(rule, ResourceValidationPolicy)]
    assert len(resource_rules) > 20 and all(isinstance(rule, ResourceRule) for rule in resource_rules)
    typed = [rule for rule in resource_rules if rule.types is not None]
    assert len(typed) > 15 and all(rule.types and all(":" in t for t in rule.types) for rule in typed)


def _request(resource_type: str) -> proto.AnalyzeRequest:
    return proto.AnalyzeRequest(type=resource_type, properties=struct_pb2.Struct(), urn=f"u-{resource_type}")


def test_the_cli_calling_every_rule_reaches_a_check_only_for_the_types_it_names() -> None:
    """The CLI hands every resource to every rule (upstream's Analyze): a typed rule's check sees its types only."""
    seen: dict[str, list[str]] = {"typed": [], "every": []}
    rules = [
        resource_rule(
            name,
            "d",
            Severity.LOW,
            "fix",
            lambda args, report, _, n=name: seen[n].append(args.resource_type),
            types=types,
        )
        for name, types in (("typed", ["t:index:A"]), ("every", None))
    ]
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    for resource_type in ("t:index:A", "t:index:B", "t:index:AA"):
        analyzer.Analyze(_request(resource_type), None)
    assert seen == {"typed": ["t:index:A"], "every": ["t:index:A", "t:index:B", "t:index:AA"]}
    assert [rule.judges("t:index:B") for rule in rules] == [False, True]


def test_analyze_loops_over_the_rules_given_and_leaves_the_analyzer_whole() -> None:
    seen: list[str] = []
    rules = [
        resource_rule(
            name, "d", Severity.LOW, "fix", lambda args, report, _, n=name: seen.append(n), types=None
        )
        for name in ("a", "b", "c")
    ]
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    sdk_internals.analyze(analyzer, _request("t:index:A"), [rules[0], rules[2]])
    analyzer.Analyze(_request("t:index:A"), None)
    assert seen == ["a", "c", "a", "b", "c"]


@pytest.fixture(scope="module", params=["dev", "prod"])
def shipped(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[list, dict]:
    build = tmp_path_factory.mktemp(f"build-{request.param}")
    quiet = Console(file=io.StringIO())
    assert plan(PROJECT_DIR, request.param, build, ReportFormat.TEXT, quiet, quiet) == EXIT_OK
    return load_export(build / request.param / "stack.json"), load_policy_config(PROJECT_DIR, request.param)


def test_skipping_the_rules_a_type_escapes_reports_what_calling_every_rule_reports(
    shipped, monkeypatch
) -> None:
    """On the shipped export and three mutants of each family (each breaking a promise): the same violations."""
    resources, config = shipped
    every_rule = [rule for rule in ALL_RULES if isinstance(rule, ResourceValidationPolicy)]
    exports = [resources, *(m.applied(resources) for m in sample(mutants(resources), 3))]
    skipping = [check(export, config) for export in exports]
    monkeypatch.setattr(policy_check, "_judging", lambda resource_type: every_rule)
    calling_every_rule = [check(export, config) for export in exports]
    assert skipping == calling_every_rule
    assert sum(1 for violations in skipping if violations) >= 10  # the mutants do break rules
