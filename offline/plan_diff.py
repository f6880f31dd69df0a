"""What a plan would change against an earlier export: each resource created, updated, replaced or deleted.

The same comparison Pulumi makes between state and program, on two exports: resources match by URN (or by
an alias the new one declares), an input the provider cannot change in place replaces the object
(offline.guard.REPLACED_ON_CHANGE), and a delete plus a create of the same object under another name is a
rename that one alias turns into no change.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from offline.guard import REPLACED_ON_CHANGE, alias_urns, same_object
from offline.urns import alias_advice, parse_urn

ROOT_TYPE = "pulumi:pulumi:Stack"


class Op(StrEnum):
    """What happens to one resource, in Pulumi's words."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"


@dataclass(frozen=True)
class Step:
    """One resource's change: its URN, the inputs that change, and advice where there is some."""

    op: Op
    urn: str
    changed: tuple[str, ...] = ()
    advice: str = ""

    @property
    def label(self) -> str:
        """`<type> <name>`, as the plan tree shows a resource."""
        parsed = parse_urn(self.urn)
        return f"{parsed.type} {parsed.name}" if parsed else self.urn


def diff_exports(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> list[Step]:
    """Every resource of either export that the change from `base` to `head` creates, updates, replaces or deletes."""
    base_by_urn = {r["urn"]: r for r in base if r.get("type") != ROOT_TYPE}
    steps: list[Step] = []
    matched: set[str] = set()
    created = []
    for new in (r for r in head if r.get("type") != ROOT_TYPE):
        old = base_by_urn.get(new["urn"]) or next(
            (base_by_urn[a] for a in alias_urns(new) if a in base_by_urn), None
        )
        if old is None:
            created.append(new)
            continue
        matched.add(old["urn"])
        changed = _changed_inputs(old, new)
        forced = [key for key in changed if key in REPLACED_ON_CHANGE.get(new["type"], ())]
        if forced:
            steps.append(
                Step(Op.REPLACE, new["urn"], tuple(changed), f"{', '.join(forced)} cannot change in place")
            )
        elif changed:
            steps.append(Step(Op.UPDATE, new["urn"], tuple(changed)))
    deleted = [old for urn, old in base_by_urn.items() if urn not in matched]
    for new in created:
        renamed = next((old for old in deleted if same_object(old, new)), None)
        advice = (
            f"renamed from {renamed['urn']}: {alias_advice(renamed['urn'], new['urn'])}" if renamed else ""
        )
        steps.append(Step(Op.CREATE, new["urn"], advice=advice))
    steps += [Step(Op.DELETE, old["urn"]) for old in deleted]
    return sorted(steps, key=lambda step: (list(Op).index(step.op), step.urn))


def render_steps(steps: list[Step], against: str) -> str:
    """The change as text: one count line, then one line per resource with what changes."""
    counts = ", ".join(f"{sum(s.op is op for s in steps)} to {op.value}" for op in Op)
    lines = [f"changes against {against}: {counts}" if steps else f"changes against {against}: none"]
    marks = {Op.CREATE: "+", Op.UPDATE: "~", Op.REPLACE: "+-", Op.DELETE: "-"}
    for step in steps:
        changed = f": {', '.join(step.changed)}" if step.changed else ""
        lines.append(f" {marks[step.op]:>2} {step.op.value:<8} {step.label}{changed}")
        if step.advice:
            lines.append(f"             {step.advice}")
    return "\n".join(lines)


def steps_json(steps: list[Step]) -> list[dict[str, Any]]:
    """The change as data, for --format json."""
    return [
        {"op": s.op.value, "urn": s.urn, "changedInputs": list(s.changed), "advice": s.advice or None}
        for s in steps
    ]


def _changed_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The input keys whose values differ (secrets compare as their ciphertext-free marker)."""
    before, after = old.get("inputs") or {}, new.get("inputs") or {}
    return sorted(
        key for key in before.keys() | after.keys() if _plain(before.get(key)) != _plain(after.get(key))
    )


def _plain(value: Any) -> str:
    """A value's canonical text; a secret is its marker only, so a re-encryption is no change."""
    if isinstance(value, dict) and "ciphertext" in value:
        return "[secret]"
    return json.dumps(value, sort_keys=True)
