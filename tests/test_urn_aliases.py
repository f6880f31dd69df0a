"""A renamed component keeps its resources: every URN a rename changed is aliased, and the rename is in CHANGELOG.md."""

import re
from pathlib import Path

import pytest

from offline.engine import run_program
from offline.export import to_deployment
from offline.guard import Change, compare_exports
from tests.harness import PROJECT_DIR, STACKS, Plan, plan_stack, run_stack
from tests.planned import planned_resources

# A rename as CHANGELOG.md lists it: "- `sophia:old:Name` → `sophia:new:Name` (...)".
_RENAME = re.compile(r"^- `(sophia:[a-z_]+:[A-Za-z]+)` → `(sophia:[a-z_]+:[A-Za-z]+)`", re.M)


def changelog_renames() -> dict[str, str]:
    """Old type token -> new, from the newest section of CHANGELOG.md."""
    text = (PROJECT_DIR / "CHANGELOG.md").read_text()
    newest = text.split("\n## ")[1]
    return dict(_RENAME.findall(newest))


def _type_chain(urn: str) -> list[str]:
    return urn.split("::")[2].split("$")


def _old_urn(urn: str, renames: dict[str, str]) -> str:
    """The URN the resource had before the renames: each renamed token in its type chain put back."""
    back = {new: old for old, new in renames.items()}
    stack, project, _, name = urn.split("::", 3)
    return f"{stack}::{project}::{'$'.join(back.get(token, token) for token in _type_chain(urn))}::{name}"


@pytest.fixture(params=STACKS)
def stack_plan(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> Plan:
    return {"dev": dev_plan, "prod": prod_plan}.get(request.param) or plan_stack(request.param)


def test_the_changelog_lists_renames() -> None:
    assert changelog_renames(), "the newest CHANGELOG.md section lists no `old` → `new` type renames"


def test_every_urn_a_rename_changed_answers_to_its_old_urn(stack_plan: Plan) -> None:
    renames = changelog_renames()
    changed = [r for r in stack_plan.resources if set(_type_chain(r.urn)) & set(renames.values())]
    assert changed, "no planned resource carries a renamed type token"
    unaliased = [r.urn for r in changed if _old_urn(r.urn, renames) not in r.alias_urns]
    assert unaliased == [], "Pulumi would replace these: no alias names the URN before the rename"
    left = [r.urn for r in stack_plan.resources if set(_type_chain(r.urn)) & set(renames)]
    assert left == [], "these still carry a token the changelog says was renamed"


def test_every_renamed_component_is_in_the_changelog(stack_plan: Plan) -> None:
    """A component that answers to another type token was renamed; the changelog must say so."""
    renamed = {
        (_type_chain(alias)[-1], r.type)
        for r in stack_plan.resources
        if not r.custom
        for alias in r.alias_urns
        if _type_chain(alias)[-1] != r.type
    }
    assert renamed, "no component answers to an old type token: the check below would pass on nothing"
    assert renamed <= set(changelog_renames().items())


PROGRAM = """
import pulumi
import pulumi_snowflake as snowflake

class Gate(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        alias = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_="old:mod:Gate", name="old")])
        super().__init__("new:mod:Gate", name, None, pulumi.ResourceOptions.merge(opts, alias))
        snowflake.AccountRole(f"{name}-role", name="R", opts=pulumi.ResourceOptions(parent=self))
        snowflake.AccountRole("other", name="S", opts=pulumi.ResourceOptions(parent=self))
        # A name may itself hold `::`: it is everything after the type (offline/urns.py).
        snowflake.AccountRole(f"{name}::x", name="T", opts=pulumi.ResourceOptions(parent=self))

Gate("gate")
"""


def test_the_offline_engine_carries_a_parents_alias_down_as_pulumis_engine_does(tmp_path: Path) -> None:
    """pulumi pkg/resource/deploy/step_generator.go: generateAliases and inheritedChildAlias."""
    program = tmp_path / "__main__.py"
    program.write_text(PROGRAM)
    resources = {r.name: r for r in planned_resources(run_program(program, "p", "s", {}, set()))}
    assert resources["gate"].alias_urns == ("urn:pulumi:s::p::old:mod:Gate::old",)
    role = "snowflake:index/accountRole:AccountRole"
    # A child named after its parent takes the parent's old name as well; any other keeps its own.
    assert resources["gate-role"].alias_urns == (f"urn:pulumi:s::p::old:mod:Gate${role}::old-role",)
    assert resources["other"].alias_urns == (f"urn:pulumi:s::p::old:mod:Gate${role}::other",)
    assert resources["gate::x"].alias_urns == (f"urn:pulumi:s::p::old:mod:Gate${role}::old::x",)


def test_the_guard_sees_the_renames_as_no_change() -> None:
    """The export carries each resource's old URNs as Pulumi's state does, so `sophia guard` between the plan
    before the renames and after finds nothing deleted, replaced or moved; without them it blocks."""
    renames = changelog_renames()
    head = to_deployment(run_stack("dev"))["deployment"]["resources"]
    base = [_before(resource, renames) for resource in head]
    assert any(r["urn"] != h["urn"] for r, h in zip(base, head, strict=True))
    assert compare_exports(base, head) == []
    unaliased = [{key: value for key, value in r.items() if key != "aliases"} for r in head]
    assert {change.change for change in compare_exports(base, unaliased)} == {Change.URN_CHANGED}


def _before(resource: dict, renames: dict[str, str]) -> dict:
    """The resource as the plan before the renames exported it: its URN and its parent's as they were."""
    before = {**resource, "urn": _old_urn(resource["urn"], renames)}
    if resource.get("parent"):
        before["parent"] = _old_urn(resource["parent"], renames)
    return before
