"""A stack's policy config derives from its stack file; the committed configs hold only what differs."""

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest

from offline.policy_check import resolve_policy_config
from offline.policy_defaults import stack_policy_config
from policies.sophia_policies.registry import ALL_RULES
from tests.harness import PROJECT_DIR

# policies/config/dev.json as it was committed when it repeated every name the stack file derives.
OLD_DEV = {
    "grants-only-to-allowed-roles": {"allowedRoles": ["SOPHIA_AI_DEV_*"]},
    "app-role-read-only": {"appRole": "SOPHIA_AI_DEV_APP_ROLE"},
    "search-service-app-role-only": {"appRole": "SOPHIA_AI_DEV_APP_ROLE"},
    "etl-role-writes-only-raw": {"etlRole": "SOPHIA_AI_DEV_ETL_ROLE"},
    "no-unmasked-pii-to-app": {
        "appRole": "SOPHIA_AI_DEV_APP_ROLE",
        "piiAllowedRoles": ["SOPHIA_AI_DEV_ADMIN_ROLE"],
    },
    "stateful-resources-protected": {"enforcementLevel": "disabled"},
    "retention-at-least-minimum": {"minRetentionDays": 1, "criticalRetentionDays": 1},
    "warehouse-auto-suspend-limit": {"maxAutoSuspendSeconds": 60},
    "warehouse-size-within-limit": {"maxWarehouseSize": "SMALL", "multiClusterWarehouses": []},
    "scheduled-work-within-quota": {"maxShareOfQuota": 0.5},
    "monthly-credit-cap": {"monthlyCreditCap": 33},
    "airbyte-destination-key-pair-etl-role": {"etlRole": "SOPHIA_AI_DEV_ETL_ROLE"},
    "promoted-streams-checked": {"minChecksPerSource": 3},
    "audit-views-not-readable-by-app": {"appRole": "SOPHIA_AI_DEV_APP_ROLE"},
    "grants-implied-by-access-matrix": {"namePrefix": "SOPHIA_AI_DEV"},
    "network-policies-within-configured-ranges": {
        "allowedIpRanges": {
            "SOPHIA_AI_DEV_AIRBYTE_NETWORK_POLICY": ["192.0.2.0/24"],
            "SOPHIA_AI_DEV_APP_NETWORK_POLICY": ["198.51.100.0/24"],
            "SOPHIA_AI_DEV_HOOKS_NETWORK_POLICY": ["203.0.113.64/26"],
        }
    },
}
DEFAULTS = {
    rule.name: {key: spec["default"] for key, spec in (rule.config_schema.properties or {}).items()}
    for rule in ALL_RULES
    if rule.config_schema
}


def _effective(rules: dict[str, dict[str, Any]], rule: str, key: str) -> Any:
    """What the analyzer runs a setting with: the configured value, else the rule's default."""
    return rules.get(rule, {}).get(key, DEFAULTS.get(rule, {}).get(key))


def test_dev_derives_every_setting_the_old_dev_config_held() -> None:
    rules = resolve_policy_config(PROJECT_DIR, None, "dev").rules
    for rule, settings in OLD_DEV.items():
        for key, value in settings.items():
            assert _effective(rules, rule, key) == value, (rule, key)
    assert stack_policy_config(PROJECT_DIR, "dev") == {
        rule: {key: value for key, value in settings.items() if value != DEFAULTS.get(rule, {}).get(key)}
        for rule, settings in OLD_DEV.items()
        if any(value != DEFAULTS.get(rule, {}).get(key) for key, value in settings.items())
    }


def test_network_ranges_derive_from_the_service_users_and_the_prefix() -> None:
    ranges = stack_policy_config(PROJECT_DIR, "prod")["network-policies-within-configured-ranges"]
    app = [ipaddress.ip_network(r) for r in ranges["allowedIpRanges"]["SOPHIA_AI_APP_NETWORK_POLICY"]]
    assert app == [ipaddress.ip_network("198.51.100.0/24"), ipaddress.ip_network("203.0.113.10/32")]


def test_prod_keeps_the_strict_rule_defaults_and_protects_its_data() -> None:
    derived = stack_policy_config(PROJECT_DIR, "prod")
    assert "stateful-resources-protected" not in derived and "retention-at-least-minimum" not in derived
    assert derived["app-role-read-only"] == {"appRole": "SOPHIA_AI_APP_ROLE"}


@pytest.mark.parametrize("path", sorted((PROJECT_DIR / "policies" / "config").glob("*.json")), ids=str)
def test_a_committed_config_holds_only_what_differs_from_the_derived_one(path: Path) -> None:
    committed = json.loads(path.read_text())
    derived = stack_policy_config(PROJECT_DIR, path.stem)
    for rule, settings in committed.items():
        for key, value in settings.items():
            assert value != _effective(derived, rule, key), f"{path.name}: {rule}.{key} repeats the default"


def test_a_bad_stack_file_is_a_policy_config_error_naming_the_key(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        text = (PROJECT_DIR / name).read_text()
        (tmp_path / name).write_text(text.replace("namePrefix: SOPHIA_AI_DEV", "namePrefix: 'BAD NAME'"))
    with pytest.raises(ValueError, match="namePrefix"):
        resolve_policy_config(tmp_path, None, "dev")
