"""Resource identity is stable: the plans' URNs are the committed ones, so a rename is a decision, not an accident."""

import pytest

from tests.harness import STACKS, Plan, plan_stack
from tests.urn_snapshots import REGENERATE, committed_urns, plan_urns, snapshot_path


@pytest.mark.parametrize("stack", STACKS)
def test_the_plan_declares_exactly_the_committed_urns(stack: str, dev_plan: Plan, prod_plan: Plan) -> None:
    plan = {"dev": dev_plan, "prod": prod_plan}.get(stack) or plan_stack(stack)  # the shipped two are cached
    planned = set(plan_urns(plan))
    committed = set(committed_urns(stack))
    added, removed = sorted(planned - committed), sorted(committed - planned)
    assert not (added or removed), "\n".join(
        [
            f"the {stack} plan's URNs differ from {snapshot_path(stack).name}:",
            *(f"  + {urn}" for urn in added),
            *(f"  - {urn}" for urn in removed),
            "A changed URN replaces the resource: Pulumi deletes the old one and creates a new one. For a "
            "rename, give the new resource `aliases` naming its old URN (pulumi.ResourceOptions(aliases=...)), "
            "so it keeps its identity; then, or for resources really added or removed, regenerate the "
            f"snapshots with `{REGENERATE}` and commit them.",
        ]
    )
