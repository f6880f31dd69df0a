"""The committed URNs of the shipped stacks' plans; `python -m tests.urn_snapshots` rewrites them."""

from pathlib import Path

from tests.harness import STACKS, Plan, plan_stack

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshots"
REGENERATE = ".venv/bin/python -m tests.urn_snapshots"


def snapshot_path(stack: str) -> Path:
    """`tests/snapshots/urns-<stack>.txt`: one URN a line, sorted."""
    return SNAPSHOT_DIR / f"urns-{stack}.txt"


def plan_urns(plan: Plan) -> list[str]:
    """Every URN the plan registers, the stack and the components included, sorted."""
    return sorted(resource.urn for resource in plan.resources)


def committed_urns(stack: str) -> list[str]:
    """The URNs last committed for `stack`."""
    return snapshot_path(stack).read_text().splitlines()


def main() -> None:
    """Plans each shipped stack and writes its URNs."""
    for stack in STACKS:
        snapshot_path(stack).write_text("\n".join(plan_urns(plan_stack(stack))) + "\n")
        print(f"wrote {snapshot_path(stack).relative_to(SNAPSHOT_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
