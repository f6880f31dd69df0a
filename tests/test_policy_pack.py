"""The policy pack, through pulumi-policy's own analyzer: every rule has a compliant and a violating fixture."""

import json
from pathlib import Path

import pytest

from offline.policy_check import ExportError, check, load_export, load_policy_config
from policies.sophia_policies import registry
from tests.policy_fixtures import all_fixtures, apply_variant, to_export_resources

FIXTURES = all_fixtures()
VARIANTS = [(fixture, variant) for fixture in FIXTURES for variant in fixture.variants]


def _violations(fixture, resources) -> list:
    return [
        v
        for v in check(to_export_resources(resources), {fixture.rule: fixture.config})
        if v.rule == fixture.rule
    ]


def test_every_rule_has_a_fixture_and_every_fixture_a_rule() -> None:
    assert sorted(f.rule for f in FIXTURES) == sorted(rule.name for rule in registry.ALL_RULES)


def test_every_rule_documents_itself() -> None:
    for rule in registry.ALL_RULES:
        assert rule.severity is not None, rule.name
        assert rule.remediation_steps, rule.name
        assert rule.name == rule.name.lower() and " " not in rule.name


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.rule)
def test_compliant_fixture_passes(fixture) -> None:
    assert _violations(fixture, fixture.resources) == []


@pytest.mark.parametrize(("fixture", "variant"), VARIANTS, ids=[v.description for _, v in VARIANTS])
def test_violating_variant_is_caught(fixture, variant) -> None:
    found = _violations(fixture, apply_variant(fixture.resources, variant))
    assert found, f"{variant.description}: no violation"
    assert any(variant.expect in v.message for v in found), [v.message for v in found]
    assert {v.enforcement for v in found} == {variant.enforcement}
    assert all(v.remediation for v in found)


def test_unknown_values_during_preview_do_not_crash() -> None:
    fixture = next(f for f in FIXTURES if f.rule == "warehouse-size-within-limit")
    resources = to_export_resources(fixture.resources)
    resources[-1]["inputs"]["warehouseSize"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    resources[-1]["inputs"]["maxClusterCount"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    found = [v for v in check(resources, {}) if v.rule == fixture.rule]
    assert found and all(v.enforcement == "advisory" and "during preview" in v.message for v in found)


def test_garbage_and_truncated_exports_get_a_clear_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("\x00\x01 not json")
    with pytest.raises(ExportError, match="is not valid JSON"):
        load_export(garbage)
    truncated = tmp_path / "truncated.json"
    truncated.write_text(
        json.dumps({"version": 3, "deployment": {"resources": [{"urn": "u", "type": "t"}]}})[:-5]
    )
    with pytest.raises(ExportError, match="truncated"):
        load_export(truncated)
    wrong = tmp_path / "v1.json"
    wrong.write_text(json.dumps({"version": 1}))
    with pytest.raises(ExportError, match="version 3 deployment"):
        load_export(wrong)
    with pytest.raises(ExportError, match="cannot read"):
        load_export(tmp_path / "missing.json")


def test_policy_config_must_name_known_rules(tmp_path: Path) -> None:
    config = tmp_path / "bad.json"
    config.write_text(json.dumps({"no-such-rule": {}}))
    with pytest.raises(ValueError, match="unknown rules \\['no-such-rule'\\]"):
        load_policy_config(tmp_path, str(config))


def test_a_test_changing_its_export_leaves_the_fixture_as_it_was() -> None:
    fixture = next(
        f
        for f in all_fixtures()
        if any(isinstance(v, dict) for r in f.resources for v in r["inputs"].values())
    )
    before = json.dumps(fixture.resources, sort_keys=True)
    for resource in to_export_resources(fixture.resources):
        for value in resource["inputs"].values():
            if isinstance(value, dict | list):
                value.clear()
    assert json.dumps(fixture.resources, sort_keys=True) == before
