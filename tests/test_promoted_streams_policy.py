"""The policy pack fails an export in which a stream Airbyte promotes lacks its key checks."""

import copy
import json
from pathlib import Path

from offline.policy_check import check, load_policy_config
from tests.harness import PROJECT_DIR

GATE = "sophia:quality_gate:QualityGate"
RULE = "promoted-streams-checked"


def _violations(resources: list[dict]) -> list[str]:
    return [v.message for v in check(resources, load_policy_config(PROJECT_DIR, "dev")) if v.rule == RULE]


def _resources(export: Path) -> list[dict]:
    return copy.deepcopy(json.loads(export.read_text())["deployment"]["resources"])


def test_the_shipped_dev_export_checks_every_promoted_stream(dev_export: Path) -> None:
    assert _violations(_resources(dev_export)) == []


def test_a_promoted_stream_without_unique_on_its_key_fails(dev_export: Path) -> None:
    resources = _resources(dev_export)
    gate = next(r for r in resources if r["type"] == GATE)
    for declared in (gate["inputs"], gate["outputs"]):
        calls = next(s for s in declared["promotedStreams"]["GONG"] if s["stream"] == "CALLS")
        calls["checks"] = [c for c in calls["checks"] if c["check"] != "unique"]
    assert _violations(resources) == [
        "GONG stream CALLS is promoted from RAW by its primary key ['ID'], but the gate declares no blocking "
        "unique(ID) for it."
    ]


def test_without_the_gate_every_promoted_stream_fails(dev_export: Path) -> None:
    resources = [r for r in _resources(dev_export) if r["type"] != GATE]
    found = _violations(resources)
    promoted = {
        "GONG": ["CALLS", "USERS"],
        "HUBSPOT": ["CONTACTS", "COMPANIES", "DEALS"],
        "SLACK": ["CHANNEL_MESSAGES"],
    }
    assert len(found) == sum(map(len, promoted.values()))
    assert any(
        m.startswith(
            "SLACK stream CHANNEL_MESSAGES is promoted from RAW by its primary key ['CHANNEL_ID', 'TS']"
        )
        for m in found
    )
