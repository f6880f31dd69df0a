"""The security rules on the shipped dev export: clean as shipped, and each catches its breach in the real plan."""

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from offline.policy_check import check, load_policy_config
from tests.harness import PROJECT_DIR

RULES = {
    "restricted-entities-have-row-access-policy",
    "auditor-reads-only-audit-views",
    "audit-views-not-readable-by-app",
    "service-users-under-authentication-policy",
    "pat-expiry-within-limit",
    "pat-role-restricted-on-service-users",
}
Resources = list[dict[str, Any]]


def _violations(resources: Resources) -> list[tuple[str, str]]:
    found = check(resources, load_policy_config(PROJECT_DIR, "dev"))
    return sorted((v.rule, v.message) for v in found if v.rule in RULES)


def _resources(dev_export: Path) -> Resources:
    return copy.deepcopy(json.loads(dev_export.read_text())["deployment"]["resources"])


def _drop_customers_attachment(resources: Resources) -> Resources:
    return [
        r for r in resources if "CUSTOMERS ADD ROW ACCESS" not in str(r.get("inputs", {}).get("execute", ""))
    ]


def _audit_view_to_app(resources: Resources) -> Resources:
    grant = next(
        r for r in resources
        if r["type"].endswith("GrantPrivilegesToAccountRole")
        and "AUDIT_LOGINS" in json.dumps(r["inputs"].get("onSchemaObject", {}))
    )  # fmt: skip
    grant["inputs"]["accountRoleName"] = "SOPHIA_AI_DEV_APP_ROLE"
    return resources


def _password_allowed(resources: Resources) -> Resources:
    policy = next(r for r in resources if r["type"].endswith("AuthenticationPolicy"))
    policy["inputs"]["authenticationMethods"] = ["KEYPAIR", "PASSWORD"]
    return resources


def _auditor_writes(resources: Resources) -> Resources:
    grant = next(
        r for r in resources
        if r["type"].endswith("GrantPrivilegesToAccountRole")
        and r["inputs"].get("accountRoleName") == "SOPHIA_AI_DEV_AUDITOR_ROLE" and "onSchema" in r["inputs"]
    )  # fmt: skip
    grant["inputs"]["privileges"] = ["USAGE", "CREATE TABLE"]
    return resources


def test_the_shipped_dev_export_is_clean(dev_export: Path) -> None:
    assert _violations(_resources(dev_export)) == []


@pytest.mark.parametrize(
    ("breach", "rule", "fragment"),
    [
        (
            _drop_customers_attachment,
            "restricted-entities-have-row-access-policy",
            "CUSTOMERS is restricted by",
        ),
        (_audit_view_to_app, "audit-views-not-readable-by-app", "lets SOPHIA_AI_DEV_APP_ROLE"),
        (_password_allowed, "service-users-under-authentication-policy", "allows ['PASSWORD']"),
        (_auditor_writes, "auditor-reads-only-audit-views", "['CREATE TABLE', 'USAGE'] on SCHEMA"),
    ],
    ids=["unattached", "app-reads-audit", "password", "auditor-writes"],
)
def test_each_breach_of_the_real_plan_is_caught(
    dev_export: Path, breach: Callable[[Resources], Resources], rule: str, fragment: str
) -> None:
    found = _violations(breach(_resources(dev_export)))
    assert [r for r, _ in found] == [rule], found
    assert fragment in found[0][1]
