"""Writes a program run as a Pulumi stack export (a version 3 deployment) that other tools can read."""

import json
import re
from datetime import UTC, datetime
from graphlib import TopologicalSorter
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson

from offline.engine import ProgramRun, Registration
from stack.sdk_internals import SECRET_SIG, SECRET_SIG_KEY, is_secret_envelope

# No secrets provider runs offline, so a secret's ciphertext is this marker, never the value.
OFFLINE_CIPHERTEXT = "offline-plan:secret-not-recorded"
# Indented as json.dumps(indent=2) indents, ending in a newline. Dates and dataclasses are refused (as
# json.dumps refuses them) rather than written; an Enum or a UUID, which json.dumps refuses too, orjson writes
# by value (no option refuses them; an export, read back from Pulumi's wire format, holds neither).
_ORJSON_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_APPEND_NEWLINE
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
# A null value, a list item's or a key's: a string is quoted, so its text never ends a line as null does.
_NULL_VALUE = re.compile(rb"null,?\n")


def provider_urn(registration: Registration) -> str:
    """A provider reference is `<urn>::<id>`; the URN part names the provider resource."""
    return registration.provider.rsplit("::", 1)[0]


def ordered(registrations: list[Registration]) -> list[Registration]:
    """Parents, providers and dependencies before their dependents, as a deployment must list them."""
    by_urn = {registration.urn: registration for registration in registrations}
    graph = {
        registration.urn: {
            urn
            for urn in (registration.parent, provider_urn(registration), *registration.dependencies)
            if urn in by_urn
        }
        for registration in registrations
    }
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    result: list[Registration] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        result.extend(by_urn[urn] for urn in ready)
        sorter.done(*ready)
    return result


def to_deployment(run: ProgramRun) -> dict[str, Any]:
    """The `pulumi stack export` document for this run."""
    return {
        "version": 3,
        "deployment": {
            "manifest": {
                "time": datetime.now(UTC).isoformat(),
                "magic": "",
                "version": f"v{version('pulumi')}",
            },
            "secrets_providers": {"type": "offline-plan", "state": {"note": OFFLINE_CIPHERTEXT}},
            "resources": [_resource(registration, run) for registration in ordered(run.registrations)],
        },
    }


def write_export(deployment: dict[str, Any], path: Path) -> Path:
    """Writes the export as indented JSON, creating `build/<stack>/` as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(indented_json(deployment))
    return path


def indented_json(document: Any) -> bytes:
    """`json.dumps(document, indent=2)` and a newline, by orjson: json's indenting is pure Python, 30 times slower."""
    # The same JSON values, and the same bytes for the printable ASCII text and the floats a plan writes; text
    # beyond it (DEL, other characters) is written as is rather than escaped, and a float may be spelled
    # otherwise (1e-05 as 0.00001). Where orjson refuses a value (a key that is not a string, an integer past
    # 64 bits) or may have written a NaN or an infinity as null, json.dumps writes the document as before.
    try:
        text = orjson.dumps(document, option=_ORJSON_OPTIONS)
    except TypeError:
        text = None
    if text is None or _NULL_VALUE.search(text):
        return (json.dumps(document, indent=2) + "\n").encode()
    return text


def _resource(registration: Registration, run: ProgramRun) -> dict[str, Any]:
    inputs = _encode(registration.inputs)
    if registration.type == "pulumi:pulumi:Stack":
        outputs = _encode(run.stack_outputs)
    elif registration.outputs is registration.inputs:
        outputs = inputs  # a custom resource's outputs echo its inputs (run_program): encoded once
    else:
        outputs = _encode(registration.outputs)
    resource: dict[str, Any] = {
        "urn": registration.urn,
        "custom": registration.custom,
        "type": registration.type,
        "inputs": inputs,
        "outputs": outputs,
        "protect": registration.protect,
        "dependencies": registration.dependencies,
        "propertyDependencies": registration.property_dependencies,
    }
    if registration.custom:
        resource["id"] = registration.id
    optional = {
        "parent": registration.parent,
        "provider": registration.provider,
        "retainOnDelete": registration.retain_on_delete,
        # A registration option Pulumi keeps out of state; recorded so the policy check sees it as CrossGuard
        # does (AnalyzerResourceOptions.deleteBeforeReplace).
        "deleteBeforeReplace": registration.delete_before_replace,
        "deletedWith": registration.deleted_with,
        # As Pulumi keeps them in state: whole URNs, its parent's aliases carried down (engine.py).
        "aliases": registration.alias_urns,
        "ignoreChanges": registration.ignore_changes,
        "additionalSecretOutputs": registration.additional_secret_outputs,
        # Pulumi records the id a resource was imported with (apitype.ResourceV3.ImportID).
        "importID": registration.import_id,
    }
    resource.update({key: value for key, value in optional.items() if value})
    return resource


def _encode(value: Any) -> Any:
    """Secrets become Pulumi's secret envelope with an opaque ciphertext, never their value."""
    if is_secret_envelope(value):
        return {SECRET_SIG_KEY: SECRET_SIG, "ciphertext": OFFLINE_CIPHERTEXT}
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    return value
