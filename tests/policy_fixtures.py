"""Policy fixtures: one YAML file per rule, a compliant stack and violating variants one property apart."""

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FIXTURE_DIR = Path(__file__).resolve().parent / "policy_fixtures"
PROVIDER_TYPE = "pulumi:providers:snowflake"
CHANGE_KEYS = ("set", "unset", "provider", "protect", "deleteBeforeReplace", "type")
# Resource options a fixture may set beside `inputs`, written into the export as the offline plan writes them.
OPTION_KEYS = ("protect", "deleteBeforeReplace")


@dataclass(frozen=True)
class Variant:
    """One violating variant: which resource changes, how, and what the violation must say."""

    description: str
    resource: str
    change: dict[str, Any]
    expect: str
    enforcement: str


@dataclass(frozen=True)
class PolicyFixture:
    """A rule's compliant resources, its config, and its violating variants."""

    rule: str
    config: dict[str, Any]
    resources: list[dict[str, Any]]
    variants: list[Variant]


def token(short_type: str) -> str:
    """`warehouse` → `snowflake:index/warehouse:Warehouse`; a full type token is kept as it is."""
    if ":" in short_type:
        return short_type
    return f"snowflake:index/{short_type}:{short_type[0].upper()}{short_type[1:]}"


def load_fixture(path: Path) -> PolicyFixture:
    """Loads one fixture file; a malformed file fails loudly, naming the file."""
    document = yaml.safe_load(path.read_text())
    assert document.get("rule") == path.stem, f"{path.name}: rule must be {path.stem}"
    variants = []
    for index, item in enumerate(document["violating"]):
        change = {key: item[key] for key in CHANGE_KEYS if key in item}
        changed = sum(len(v) if key in ("set", "unset") else 1 for key, v in change.items())
        assert changed == 1, (
            f"{path.name} variant {index} must change exactly one property, changes {changed}"
        )
        variants.append(
            Variant(
                f"{path.stem}[{index}]",
                item["resource"],
                change,
                item["expect"],
                item.get("enforcement", "mandatory"),
            )
        )
    return PolicyFixture(path.stem, document.get("config") or {}, document["resources"], variants)


def all_fixtures() -> list[PolicyFixture]:
    """Every fixture file in the folder."""
    return [load_fixture(path) for path in sorted(FIXTURE_DIR.glob("*.yaml"))]


def apply_variant(resources: list[dict[str, Any]], variant: Variant) -> list[dict[str, Any]]:
    """The compliant resources with the variant's one change made."""
    changed = copy.deepcopy(resources)
    target = next(r for r in changed if r["name"] == variant.resource)
    target["inputs"].update(variant.change.get("set", {}))
    for key in variant.change.get("unset", []):
        target["inputs"].pop(key)
    for key in ("provider", *OPTION_KEYS, "type"):
        if key in variant.change:
            target[key] = variant.change[key]
    return changed


def to_export_resources(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fixture resources as stack-export resources, with one provider resource per system role used."""
    roles = sorted({r["provider"] for r in resources if "provider" in r})
    providers = [
        {"urn": f"urn:pulumi:test::fixture::{PROVIDER_TYPE}::{role.lower()}", "type": PROVIDER_TYPE,
         "custom": True, "id": f"{role.lower()}-id", "inputs": {"role": role}}
        for role in roles
    ]  # fmt: skip
    exported = []
    for resource in resources:
        resource_type = token(resource["type"])
        exported.append(
            {
                "urn": f"urn:pulumi:test::fixture::{resource_type}::{resource['name']}",
                "type": resource_type,
                "custom": True,
                "id": f"{resource['name']}-id",
                # A copy: a test may change its export, never the fixture.
                "inputs": copy.deepcopy(resource["inputs"]),
                "protect": resource.get("protect", False),
            }
        )
        if "deleteBeforeReplace" in resource:
            exported[-1]["deleteBeforeReplace"] = resource["deleteBeforeReplace"]
        if "provider" in resource:
            role = resource["provider"].lower()
            exported[-1]["provider"] = f"urn:pulumi:test::fixture::{PROVIDER_TYPE}::{role}::{role}-id"
    return providers + exported
