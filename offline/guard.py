"""The destructive-change guard: which stateful resources a change would delete, replace or re-create."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError, field_validator

from models.strict_model import StrictModel
from offline.urns import PREFIX, parse_urn

# Resources whose loss loses data (or, for streams and connections, the position in a change feed).
STATEFUL_KINDS = {
    "snowflake:index/database:Database": "database",
    "snowflake:index/schema:Schema": "schema",
    "snowflake:index/table:Table": "table",
    "snowflake:index/hybridTable:HybridTable": "table",
    "snowflake:index/dynamicTable:DynamicTable": "dynamic table",
    "snowflake:index/streamOnTable:StreamOnTable": "stream",
    "snowflake:index/streamOnView:StreamOnView": "stream",
    "snowflake:index/streamOnExternalTable:StreamOnExternalTable": "stream",
    "snowflake:index/streamOnDirectoryTable:StreamOnDirectoryTable": "stream",
    "snowflake:index/stage:Stage": "stage",
    "snowflake:index/stageInternal:StageInternal": "stage",
    "snowflake:index/stageExternalS3:StageExternalS3": "stage",
    "snowflake:index/stageExternalS3Compatible:StageExternalS3Compatible": "stage",
    "snowflake:index/stageExternalAzure:StageExternalAzure": "stage",
    "snowflake:index/stageExternalGcs:StageExternalGcs": "stage",
    "pulumi-python:dynamic/airbyte:Source": "Airbyte source",
    "pulumi-python:dynamic/airbyte:Destination": "Airbyte destination",
    "pulumi-python:dynamic/airbyte:Connection": "Airbyte connection",
}
# Inputs the provider cannot change in place (ForceNew in terraform-provider-snowflake pkg/resources/
# schema.go and table.go, which pulumi-snowflake bridges): a new value replaces the object.
REPLACED_ON_CHANGE = {
    "snowflake:index/schema:Schema": ("database", "isTransient"),
    "snowflake:index/table:Table": ("database", "schema"),
}
# The inputs that name an object where it lives, to recognise one that only changed its URN.
IDENTITY_INPUTS = ("database", "schema", "workspace_id", "name")
# Step ops that delete or replace (pulumi/pulumi pkg/resource/deploy/step.go); `pulumi preview --json`
# shows `replace` by default and `create-replacement` / `delete-replaced` with --show-replacement-steps.
DESTRUCTIVE_OPS = ("delete", "replace", "create-replacement", "delete-replaced")
DEFAULT_ALLOW_FILE = "allow-destructive.yaml"


class GuardInputError(Exception):
    """An export, preview document or allow file that cannot be read."""


class Change(StrEnum):
    """What would happen to a stateful resource."""

    DELETED = "deleted"
    REPLACED = "replaced"
    URN_CHANGED = "urn-changed"
    # Taking over an existing object in a way that takes or changes something (offline/takeover.py).
    ADOPTED = "adopted"


@dataclass(frozen=True)
class DestructiveChange:
    """One stateful resource a change would delete, replace or re-create under another URN, and why."""

    urn: str
    kind: str
    change: Change
    reason: str


class AllowEntry(StrictModel):
    """One intended destructive change, reviewed in the pull request that makes it."""

    urn: str
    change: Change
    reason: str

    @field_validator("urn")
    @classmethod
    def _is_urn(cls, urn: str) -> str:
        if parse_urn(urn) is None:
            raise ValueError("not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)")
        return urn

    @field_validator("reason")
    @classmethod
    def _says_why(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("empty; say why the change is intended")
        return reason


class AllowFile(StrictModel):
    """`allow-destructive.yaml`: the destructive changes a pull request intends."""

    allow: list[AllowEntry]


@dataclass(frozen=True)
class GuardResult:
    """Blocked and allowed changes, and allow entries that matched nothing (left over from an earlier change)."""

    blocked: list[DestructiveChange]
    allowed: list[tuple[DestructiveChange, AllowEntry]]
    unused: list[AllowEntry]
    source: str
    allow_file: str


def compare_exports(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> list[DestructiveChange]:
    """What going from the base plan to the head plan would do to the base's stateful resources."""
    head_by_urn = {resource["urn"]: resource for resource in head}
    aliased = {alias for resource in head for alias in alias_urns(resource)}
    base_urns = {resource["urn"] for resource in base}
    created = [resource for resource in head if resource["urn"] not in base_urns]
    changes = []
    for old in base:
        kind = STATEFUL_KINDS.get(old["type"])
        if kind is None or old.get("delete"):
            continue
        new = head_by_urn.get(old["urn"])
        if new is not None:
            changes.extend(_forced_replacement(old, new, kind))
        elif old["urn"] not in aliased:
            changes.append(_gone(old, kind, created))
    return changes


def preview_changes(steps: list[dict[str, Any]]) -> list[DestructiveChange]:
    """The stateful resources a `pulumi preview --json` would delete or replace, one entry per URN."""
    created = [step["newState"] for step in steps if step["op"] == "create" and step.get("newState")]
    changes: dict[str, DestructiveChange] = {}
    for step in steps:
        if step["op"] not in DESTRUCTIVE_OPS:
            continue
        state = step.get("oldState") or step.get("newState") or {"urn": step["urn"]}
        resource_type = state.get("type") or _urn_type(step["urn"])
        kind = STATEFUL_KINDS.get(resource_type)
        if kind is None or step["urn"] in changes:
            continue
        if step["op"] == "delete":
            changes[step["urn"]] = _gone({**state, "type": resource_type}, kind, created)
        else:
            reasons = ", ".join(step.get("replaceReasons") or []) or "the provider's diff"
            changes[step["urn"]] = DestructiveChange(
                step["urn"], kind, Change.REPLACED, f"replaced because of {reasons} (step {step['op']})"
            )
    return list(changes.values())


def alias_urns(resource: Mapping[str, Any]) -> list[str]:
    """The earlier URNs a resource declares; a bare name is `Alias(name=...)`: same URN, that name."""
    parsed = parse_urn(resource["urn"])
    urns = []
    for alias in resource.get("aliases") or []:
        if alias.startswith(PREFIX):
            urns.append(alias)
        elif parsed is not None:
            urns.append(parsed.with_name(alias))
    return urns


def apply_allow(changes: list[DestructiveChange], allow: list[AllowEntry], source: str,
                allow_file: str) -> GuardResult:  # fmt: skip
    """Splits changes into those an allow entry (same URN and change) lets pass and those it does not."""
    by_key = {(entry.urn, entry.change): entry for entry in allow}
    allowed = [(c, by_key[(c.urn, c.change)]) for c in changes if (c.urn, c.change) in by_key]
    blocked = [c for c in changes if (c.urn, c.change) not in by_key]
    used = {(c.urn, c.change) for c, _ in allowed}
    unused = [entry for entry in allow if (entry.urn, entry.change) not in used]
    return GuardResult(blocked, allowed, unused, source, allow_file)


def load_allow(path: Path, required: bool) -> list[AllowEntry]:
    """The allow file's entries; a missing file allows nothing unless it was named explicitly."""
    if not path.is_file():
        if required:
            raise GuardInputError(f"allow file {path} does not exist")
        return []
    try:
        document = yaml.safe_load(path.read_text())
        return AllowFile.model_validate(document).allow
    except OSError as error:
        raise GuardInputError(f"cannot read allow file {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise GuardInputError(f"allow file {path} is not valid YAML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']} (given {e.get('input')!r})"
            for e in error.errors()
        )
        raise GuardInputError(
            f"allow file {path}: {problems}; each entry needs urn, change "
            f"({', '.join(c.value for c in Change)}) and reason"
        ) from None


def load_preview_steps(path: Path) -> list[dict[str, Any]]:
    """The `steps` of a `pulumi preview --json` document (shape: pulumi/pulumi sdk/pkg/display/json.go)."""
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise GuardInputError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise GuardInputError(f"{path} is not valid JSON: {error.msg} at line {error.lineno}") from None
    if not isinstance(document, dict) or not isinstance(document.get("steps", []), list):
        raise GuardInputError(
            f"{path} is not a `pulumi preview --json` document: expected an object with steps"
        )
    steps = document.get("steps", [])
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("op"), str) or not step.get("urn"):
            raise GuardInputError(f"{path}: step {index} lacks an op or urn")
    return steps


def _forced_replacement(old: dict[str, Any], new: dict[str, Any], kind: str) -> list[DestructiveChange]:
    """A change to an input the provider cannot update in place replaces the object."""
    changed = [
        key
        for key in REPLACED_ON_CHANGE.get(old["type"], ())
        if (old.get("inputs") or {}).get(key) != (new.get("inputs") or {}).get(key)
    ]
    if not changed:
        return []
    reason = "; ".join(
        f"{key} changes from {_shown(old, key)} to {_shown(new, key)}, which cannot change in place"
        for key in changed
    )
    return [DestructiveChange(old["urn"], kind, Change.REPLACED, reason)]


def _gone(old: Mapping[str, Any], kind: str, candidates: Iterable[Mapping[str, Any]]) -> DestructiveChange:
    """Deleted, or re-created under a new URN when a resource of the same type and identity appears."""
    identity = _identity(old)
    successor = next(
        (
            candidate["urn"]
            for candidate in candidates
            if identity and candidate.get("type") == old["type"] and _identity(candidate) == identity
        ),
        None,
    )
    if successor:
        return DestructiveChange(
            old["urn"],
            kind,
            Change.URN_CHANGED,
            f"its URN changes to {successor} without an alias, so Pulumi deletes it and creates a new one; "
            f"add aliases=[{resource_label(old['urn'])!r}] (or the old URN) to keep it",
        )
    return DestructiveChange(
        old["urn"], kind, Change.DELETED, "it is no longer declared, so Pulumi deletes it"
    )


def resource_label(urn: str) -> str:
    """The logical name of a URN (what `Alias(name=...)` takes)."""
    parsed = parse_urn(urn)
    return parsed.name if parsed else urn


def _identity(resource: Mapping[str, Any]) -> tuple[Any, ...] | None:
    inputs = resource.get("inputs") or {}
    if not inputs.get("name"):
        return None
    return tuple(inputs.get(key) for key in IDENTITY_INPUTS)


def _shown(resource: Mapping[str, Any], key: str) -> str:
    return json.dumps((resource.get("inputs") or {}).get(key))


def _urn_type(urn: str) -> str:
    parsed = parse_urn(urn)
    return parsed.type if parsed else ""
