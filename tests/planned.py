"""What the mock engine registered, in the shape Python code expects: snake_case, ints, marked secrets."""

import re
from dataclasses import dataclass
from typing import Any

from offline.engine import ProgramRun, Registration
from offline.export import provider_urn
from stack.loader import decode_json_text
from stack.sdk_internals import is_secret_envelope

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class Secret:
    """A value the program declared secret; it compares equal to any other secret and never prints."""

    def __repr__(self) -> str:
        return "Secret(***)"


@dataclass(frozen=True)
class PlannedResource:
    """One registered resource with normalized inputs and every resource option the engine received."""

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    raw_inputs: dict[str, Any]
    parent: str
    protect: bool
    provider: str
    provider_role: str | None
    dependencies: tuple[str, ...]
    retain_on_delete: bool
    deleted_with: str
    aliases: tuple[str, ...]
    alias_urns: tuple[str, ...]
    ignore_changes: tuple[str, ...]
    delete_before_replace: bool


def normalize(value: Any, decode_json: bool = False) -> Any:
    """camelCase keys to snake_case, integral floats to ints, secrets to `Secret()`."""
    if isinstance(value, dict) and is_secret_envelope(value):
        return Secret()
    if isinstance(value, dict):
        return {_snake(key): normalize(item, decode_json) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize(item, decode_json) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if decode_json:
        decoded = decode_json_text(value)
        return value if decoded is value else normalize(decoded)
    return value


def planned_resources(run: ProgramRun) -> list[PlannedResource]:
    """Every registration of the run, normalized, with the role of the provider that manages it."""
    by_urn = run.by_urn()
    return [_planned(registration, by_urn) for registration in run.registrations]


def _planned(registration: Registration, by_urn: dict[str, Registration]) -> PlannedResource:
    provider = by_urn.get(provider_urn(registration)) if registration.provider else None
    return PlannedResource(
        urn=registration.urn,
        type=registration.type,
        name=registration.name,
        custom=registration.custom,
        inputs=normalize(registration.inputs, decode_json=registration.type.startswith("pulumi:providers:")),
        raw_inputs=registration.inputs,
        parent=registration.parent,
        protect=registration.protect,
        provider=registration.provider,
        provider_role=provider.inputs.get("role") if provider else None,
        dependencies=tuple(registration.dependencies),
        retain_on_delete=registration.retain_on_delete,
        deleted_with=registration.deleted_with,
        aliases=tuple(registration.aliases),
        alias_urns=tuple(registration.alias_urns),
        ignore_changes=tuple(registration.ignore_changes),
        delete_before_replace=registration.delete_before_replace,
    )


def _snake(key: str) -> str:
    return _CAMEL_BOUNDARY.sub("_", key).lower()
