"""Every rule's remediation points where a user fixes it: stack-file keys as the user writes them
(`sophia-data-platform:qualityGate.alerts.schedule`), policy-config overrides as `<rule>.<setting>` in
`policies/config/<stack>.json`, files and components that exist. A key the stack config does not take, a
setting its rule does not have, a bare key without its namespace, a missing file or component is reported.
"""

import re
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from policies.sophia_policies.registry import ALL_RULES
from stack.airbyte.secrets import SECRETS_KEY, SETTINGS_KEY
from stack.config import StackConfig
from tests.harness import PROJECT_DIR, STACKS

NAMESPACE = "sophia-data-platform:"
KEY = re.compile(rf"{NAMESPACE}([\w.<>\[\]]+)")
SETTING = re.compile(r"(?<![\w:.-])([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\.([a-z][A-Za-z]+)\b")
FILE = re.compile(r"(?<![\w/])((?:[\w-]+/)+[\w.<>-]+\.(?:py|json|yaml|sql|md|toml)|Pulumi\.<stack>\.yaml)\b")
COMPONENT = re.compile(r"\b([A-Z]\w+) component")
CONFIG_FILE = "policies/config/<stack>.json"
RULES = {rule.name: rule for rule in ALL_RULES}
SETTINGS = {
    name: set(rule.config_schema.properties) if rule.config_schema else set() for name, rule in RULES.items()
}
ALL_SETTINGS = set().union(*SETTINGS.values())
TOP_LEVEL = {field.alias or name for name, field in StackConfig.model_fields.items()} | {SECRETS_KEY}


def _members(annotation: Any) -> list[Any]:
    """The types a field may hold: Optional, unions and Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) if arg is not type(None) for m in _members(arg)]
    return [annotation]


def _step(annotation: Any, segment: str) -> list[Any]:
    """The types `segment` (a field alias, a dict key or `<PLACEHOLDER>`, then `[]` per list) leads to."""
    name, lists = segment.removesuffix("[]" * segment.count("[]")), segment.count("[]")
    found = []
    for member in _members(annotation):
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin is dict:
            # A placeholder or a free key (names) fits any dict; a concrete key must be one its enum allows.
            enum = args[0] if isinstance(args[0], type) and issubclass(args[0], Enum) else None
            if name.startswith("<") or enum is None or name in {item.value for item in enum}:
                found.append(args[1])
        elif isinstance(member, type) and issubclass(member, BaseModel):
            found += [f.annotation for n, f in member.model_fields.items() if (f.alias or n) == name]
    for _ in range(lists):
        found = [typing.get_args(m)[0] for f in found for m in _members(f) if typing.get_origin(m) is list]
    return found


def key_exists(path: str) -> bool:
    """Whether the stack config takes `path` (`airbyteSecrets.` is read into `airbyte.`, as the loader does)."""
    head, *rest = path.split(".")
    current = [StackConfig]
    for segment in [SETTINGS_KEY if head == SECRETS_KEY else head, *rest]:
        current = [found for annotation in current for found in _step(annotation, segment)]
    return bool(current)


def wrong_references(rule: str, text: str) -> list[str]:
    """What in a remediation names a key, setting, file or component that is not there, or not as written."""
    wrong = [f"{NAMESPACE}{key}" for key in (k.rstrip(".") for k in KEY.findall(text)) if not key_exists(key)]
    bare = KEY.sub("", SETTING.sub("", text))
    wrong += [f"{r}.{s}" for r, s in SETTING.findall(text) if s not in SETTINGS.get(r, set())]
    # A setting is either overridden in the config file, or named as what derives from a stack-file key.
    if SETTING.search(text) and CONFIG_FILE not in text and "derives from" not in text:
        wrong.append(f"an override without where it goes ({CONFIG_FILE})")
    wrong += [f"bare key {k}" for k in TOP_LEVEL if re.search(rf"(?<![\w.:-]){k}\.\w", bare)]
    wrong += [f"bare setting {s}" for s in ALL_SETTINGS if re.search(rf"(?<![\w.:<-]){s}\b", bare)]
    for path in FILE.findall(text):
        if not any((PROJECT_DIR / path.replace("<stack>", stack)).is_file() for stack in STACKS):
            wrong.append(f"file {path}")
    sources = "".join(p.read_text() for p in (PROJECT_DIR / "components").rglob("*.py"))
    wrong += [f"component {c}" for c in COMPONENT.findall(text) if f"class {c}(" not in sources]
    return wrong


def registry_problems(rules: list[Any]) -> dict[str, list[str]]:
    return {r.name: found for r in rules if (found := wrong_references(r.name, r.remediation_steps))}


def test_every_remediation_names_keys_settings_files_and_components_that_exist() -> None:
    assert registry_problems(ALL_RULES) == {}


def test_a_remediation_that_names_keys_names_them_as_the_user_writes_them() -> None:
    named = [rule.name for rule in ALL_RULES if NAMESPACE in rule.remediation_steps]
    # The rules a stack file fixes say which key; at least these must keep saying so.
    assert {
        "retention-at-least-minimum",
        "monthly-credit-cap",
        "network-policies-within-configured-ranges",
    } <= set(named)


@pytest.mark.parametrize(
    "text",
    [
        "Raise sophia-data-platform:database.retentionDay.",  # a typo in a field
        "Set sophia-data-platform:airbyte.sources.<SOURCE>.stream[].checks.",  # a typo in a list
        "Set sophia-data-platform:warehouses.BIG.size.",  # a dict key the enum does not have
        "Set sophia-data-platform:serviceUsers.<USER>.allowedIps.cidr.",  # past a leaf
        "Raise monthly-credit-cap.monthlyCap in policies/config/<stack>.json.",  # not the rule's setting
        "Raise warehouse-size-limit.maxWarehouseSize in policies/config/<stack>.json.",  # not a rule
        "Raise monthly-credit-cap.monthlyCreditCap in the policy config.",  # an override without its file
        "Raise database.retentionDays / criticalRetentionDays in the stack config.",  # bare key
        "Set the service user's allowedIps; the policy config's allowedIpRanges mirrors them.",  # bare setting
        "Raise it in policies/config/<stack>.yaml.",  # no such file
        "Declare the view through the Semantics component.",  # no such component
    ],
)
def test_a_wrong_reference_is_reported(text: str) -> None:
    assert wrong_references("any-rule", text) != []


@pytest.mark.parametrize(
    "text",
    [
        "Set sophia-data-platform:qualityGate.alerts.schedule and sophia-data-platform:airbyteSecrets.destination.privateKey.",
        "Set sophia-data-platform:warehouses.ANALYTICS.size or sophia-data-platform:security.rowAccess.",
        "List it in warehouse-size-within-limit.multiClusterWarehouses in policies/config/<stack>.json.",
    ],
)
def test_a_right_reference_passes(text: str) -> None:
    assert wrong_references("any-rule", text) == []


def test_the_check_catches_a_stale_remediation_in_the_registry() -> None:
    # The mutant: the network rule's text before the policy config was derived from the stack file.
    stale = "Set the service user's allowedIps in Pulumi.<stack>.yaml; the policy config's allowedIpRanges mirrors them."
    mutant = [
        types.SimpleNamespace(
            name=r.name, remediation_steps=stale if r.name.startswith("network") else r.remediation_steps
        )
        for r in ALL_RULES
    ]
    assert list(registry_problems(mutant)) == ["network-policies-within-configured-ranges"]


def test_the_config_file_a_remediation_names_is_where_overrides_are_read() -> None:
    from offline.policy_check import POLICY_CONFIG_DIR

    assert Path(CONFIG_FILE).parent == POLICY_CONFIG_DIR
