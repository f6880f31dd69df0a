"""The takeover: which declared objects an inventory's account already holds, what changes, what stays unmanaged."""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from models.adoption import ANY, Change, found, locate
from models.adoption import changes as setting_changes
from models.import_ids import TYPE_PREFIX, short_type
from models.inventory import Inventory, Key, plain_name
from models.inventory_kinds import KINDS
from offline.engine import ProgramRun, Registration
from offline.export import provider_urn

AIRBYTE_TYPE = "pulumi-python:dynamic/airbyte:"
# Kinds whose rows are parts of other objects, not objects a stack could leave unmanaged.
NOT_OBJECTS = {"columns"}
# SHOW GRANTS TO ROLE lists what a role owns as OWNERSHIP rows: ownership is compared on the object instead.
OWNERSHIP = "OWNERSHIP"


@dataclass
class Entry:
    """One declared object and how it is taken over."""

    urn: str
    type: str
    import_id: str = ""
    changes: list[Change] = field(default_factory=list)
    destructive: list[str] = field(default_factory=list)


@dataclass
class Takeover:
    """The whole takeover, in the report's sections."""

    adopted: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    created: list[Entry] = field(default_factory=list)
    reapplied: list[Entry] = field(default_factory=list)
    blocked: list[Entry] = field(default_factory=list)
    unchecked: list[Entry] = field(default_factory=list)
    unmanaged: list[dict[str, str]] = field(default_factory=list)

    @property
    def destructive(self) -> list[Entry]:
        """Adoptions that would take, change or lose something: the guard stops them unless allowed."""
        return [entry for entry in self.adopted + self.changed + self.blocked if entry.destructive]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON, for tools and the pull request."""
        sections = ("adopted", "changed", "created", "reapplied", "blocked", "unchecked")
        report: dict[str, Any] = {name: [asdict(entry) for entry in getattr(self, name)] for name in sections}
        report["unmanaged"] = self.unmanaged
        report["destructive"] = [entry.urn for entry in self.destructive]
        return report


def build_takeover(run: ProgramRun, inventory: Inventory) -> Takeover:
    """Compares what the program declares (and imports) with what the inventory holds."""
    takeover, claimed = Takeover(), set()
    by_urn = run.by_urn()
    for registration in run.registrations:
        if registration.type.startswith(TYPE_PREFIX):
            _snowflake(registration, inventory, by_urn, takeover, claimed)
        elif registration.type.startswith(AIRBYTE_TYPE):
            _airbyte(registration, inventory, takeover)
    takeover.unmanaged = _unmanaged(inventory, run.stack_outputs, claimed, takeover)
    return takeover


def _snowflake(
    registration: Registration,
    inventory: Inventory,
    by_urn: dict[str, Registration],
    takeover: Takeover,
    claimed: set[tuple[str, Key]],
) -> None:
    entry = Entry(registration.urn, short_type(registration.type), registration.import_id)
    located = locate(registration.type, registration.inputs)
    if located is None:
        if short_type(registration.type) in NOT_INVENTORIED:
            takeover.unchecked.append(entry)
            return
        # Execute re-runs its statement; a tag association and an ON ALL grant are idempotent statements.
        takeover.reapplied.append(entry)
        return
    rows = found(inventory, located)
    claimed.update((located.kind, _plain_key(key)) for key in located.keys)
    if not any(rows):
        takeover.created.append(entry)
        return
    if not registration.import_id:
        entry.destructive.append("exists, but the program cannot import it: its create would fail")
        takeover.blocked.append(entry)
        return
    row = next(row for row in rows if row)
    if len(rows) > 1 or located.settings:
        entry.changes = setting_changes(located, registration.inputs, row)
    missing = [key[-1] for key, row in zip(located.keys, rows, strict=True) if row is None]
    if missing:
        entry.changes.append(Change("privileges", "", f"adds {', '.join(missing)}"))
    entry.destructive += _destructive(registration, row, by_urn, inventory, entry.changes)
    (takeover.changed if entry.changes or entry.destructive else takeover.adopted).append(entry)


def _destructive(
    registration: Registration,
    row: dict[str, Any],
    by_urn: dict[str, Registration],
    inventory: Inventory,
    changes: list[Change],
) -> list[str]:
    problems = []
    provider = by_urn.get(provider_urn(registration))
    owner_role = plain_name(provider.inputs.get("role")) if provider else ""
    if row.get("owner") and owner_role and plain_name(row["owner"]) != owner_role:
        problems.append(f"owned by {row['owner']}; the program acts as {owner_role}, so takes it over")
    if any(change.setting == "options" for change in changes):
        problems.append("managed access would change: who may grant on the schema's objects changes")
    if short_type(registration.type) == "table:Table":
        problems += _column_difference(registration.inputs, inventory)
    return problems


def _column_difference(inputs: dict[str, Any], inventory: Inventory) -> list[str]:
    table = (plain_name(inputs["schema"]), plain_name(inputs["name"]))
    existing = {key[2] for key in inventory.keys("columns") if key[:2] == table}
    if not existing:
        return []  # no SHOW COLUMNS rows for it: nothing known to compare
    declared = {plain_name(column["name"]) for column in inputs.get("columns", [])}
    if existing == declared:
        return []
    return [
        f"columns differ: declared only {sorted(declared - existing)}, existing only {sorted(existing - declared)}"
    ]


def _airbyte(registration: Registration, inventory: Inventory, takeover: Takeover) -> None:
    """Airbyte objects are adopted by name by the provider itself (components/airbyte/provider.py)."""
    entry = Entry(registration.urn, registration.type.removeprefix(AIRBYTE_TYPE))
    part = {"Source": "sources", "Destination": "destinations", "Connection": "connections"}.get(entry.type)
    if part is None:  # the workspace's notification settings: a PATCH of the workspace, idempotent
        takeover.reapplied.append(entry)
        return
    if inventory.airbyte is None:
        takeover.created.append(entry)
        return
    existing = next(
        (row for row in getattr(inventory.airbyte, part) if row["name"] == registration.inputs["name"]), None
    )
    if existing is None:
        takeover.created.append(entry)
        return
    if part == "connections":
        entry.destructive = _resync(json.loads(registration.inputs["configuration"]), existing)
    (takeover.changed if entry.destructive else takeover.adopted).append(entry)


def _resync(declared: dict[str, Any], existing: dict[str, Any]) -> list[str]:
    """What would make Airbyte re-sync a connection from scratch (terraform-provider-airbyte #70, #215)."""
    problems = []
    if existing.get("namespaceFormat") != declared.get("namespaceFormat"):
        problems.append(
            f"namespace {existing.get('namespaceFormat')!r} -> {declared.get('namespaceFormat')!r}"
        )
    streams = {s["name"]: s for s in (existing.get("configurations") or {}).get("streams", [])}
    for stream in declared["configurations"]["streams"]:
        was = streams.get(stream["name"])
        if was is None:
            continue
        for key in ("syncMode", "primaryKey"):
            if was.get(key) != stream.get(key):
                problems.append(f"stream {stream['name']}: {key} {was.get(key)!r} -> {stream.get(key)!r}")
    return problems


def _plain_key(key: Key) -> Key:
    return tuple(part if part == ANY else plain_name(part) for part in key)


def _unmanaged(
    inventory: Inventory, outputs: dict[str, Any], claimed: set[tuple[str, Key]], takeover: Takeover
) -> list[dict[str, str]]:
    """What the account holds in the stack's namespace that nothing declares: listed, never dropped."""
    prefix = inventory.name_prefix + "_"
    wildcards = [claim for claim in claimed if ANY in claim[1]]
    listed = []
    for kind in KINDS:
        if kind.name in NOT_OBJECTS:
            continue
        for key in sorted(inventory.keys(kind.name)):
            if (kind.name, key) in claimed or any(_matches(claim, kind.name, key) for claim in wildcards):
                continue
            if not _in_namespace(kind.scope.value, key, prefix, inventory.database):
                continue
            if kind.name.startswith("grants_to") and key[-1] == OWNERSHIP:
                continue
            listed.append({"kind": kind.name, "name": ".".join(key)})
    return listed


def _matches(claim: tuple[str, Key], kind: str, key: Key) -> bool:
    return (
        claim[0] == kind
        and len(claim[1]) == len(key)
        and all(c in (ANY, k) for c, k in zip(claim[1], key, strict=True))
    )


def _in_namespace(scope: str, key: Key, prefix: str, database: str) -> bool:
    if scope == "account":
        return key[0].startswith(prefix) or key[0] == database
    return True  # every other SHOW ran inside the stack's database or on the stack's roles


# Objects that CREATE would refuse if they exist, whose SHOW inventory version 1 does not record: the plan
# cannot tell adopted from created, so it says so rather than guess (docs/adopting.md: adopt them by hand).
NOT_INVENTORIED = {
    "rowAccessPolicy:RowAccessPolicy",
    "authenticationPolicy:AuthenticationPolicy",
    "userAuthenticationPolicyAttachment:UserAuthenticationPolicyAttachment",
    "cortexSearchService:CortexSearchService",
}


def render_markdown(takeover: Takeover, stack: str) -> str:
    """The takeover for a pull request: one table per section."""
    lines = [f"## Takeover of the existing account: `{stack}`", ""]
    lines += _section("Adopted unchanged", takeover.adopted, lambda e: "")
    lines += _section("Adopted and changed", takeover.changed, _change_text)
    lines += _section("Created", takeover.created, lambda e: "")
    lines += _section("Re-applied (cannot be imported, idempotent)", takeover.reapplied, lambda e: "")
    lines += _section("Blocked", takeover.blocked, lambda e: "; ".join(e.destructive))
    lines += _section(
        "Not in the inventory (if it exists, `pulumi import` it by hand before `up`)",
        takeover.unchecked,
        lambda e: "",
    )
    lines += [f"### Existing but undeclared ({len(takeover.unmanaged)}): listed, never dropped", ""]
    lines += [f"- {item['kind']}: `{item['name']}`" for item in takeover.unmanaged] + [""]
    return "\n".join(lines)


def _change_text(entry: Entry) -> str:
    text = [f"{c.setting}: {c.existing!r} -> {c.declared!r}" for c in entry.changes]
    return "; ".join(text + [f"DESTRUCTIVE: {d}" for d in entry.destructive])


def _section(title: str, entries: Iterable[Entry], detail: Any) -> list[str]:
    entries = list(entries)
    lines = [f"### {title} ({len(entries)})", ""]
    if entries:
        lines += ["| resource | type | import id | detail |", "|---|---|---|---|"]
        lines += [
            f"| `{e.urn.rsplit('::', 1)[-1]}` | {e.type} | `{e.import_id}` | {detail(e)} |".replace("\n", " ")
            for e in entries
        ]
    return [*lines, ""]
