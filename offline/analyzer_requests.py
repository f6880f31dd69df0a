"""A stack export's resources as the requests the engine sends an analyzer: properties, options, provider."""

from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto

from stack.loader import decode_json_text
from stack.sdk_internals import SECRET_SIG, SECRET_SIG_KEY, is_secret_envelope

# The engine hands analyzers decrypted secrets; an export holds only ciphertext, so this stands in.
SECRET_PLACEHOLDER = "[secret]"


def analyzer_fields(
    resource: dict[str, Any],
    by_urn: dict[str, dict[str, Any]],
    providers: dict[str, proto.AnalyzerProviderResource | None],
) -> dict[str, Any]:
    """Type, properties, urn, name, options and provider, as the engine sends them to an analyzer."""
    fields: dict[str, Any] = {
        "type": resource["type"],
        "properties": _struct(resource.get("inputs") or {}),
        "urn": resource["urn"],
        "name": resource["urn"].rsplit("::", 1)[-1],
        "options": proto.AnalyzerResourceOptions(
            protect=bool(resource.get("protect")),
            ignoreChanges=resource.get("ignoreChanges", []),
            deleteBeforeReplace=bool(resource.get("deleteBeforeReplace")),
            deleteBeforeReplaceDefined="deleteBeforeReplace" in resource,
            parent=resource.get("parent", ""),
        ),
    }
    provider_urn = resource.get("provider", "").rsplit("::", 1)[0]
    if provider_urn not in providers:
        providers[provider_urn] = _provider(by_urn.get(provider_urn))
    if providers[provider_urn] is not None:
        fields["provider"] = providers[provider_urn]
    return fields


def _provider(provider: dict[str, Any] | None) -> proto.AnalyzerProviderResource | None:
    """A provider as the engine describes it to an analyzer: its type, decoded inputs, URN and name."""
    if provider is None:
        return None
    return proto.AnalyzerProviderResource(
        type=provider["type"],
        properties=_struct({k: decode_json_text(v) for k, v in (provider.get("inputs") or {}).items()}),
        urn=provider["urn"],
        name=provider["urn"].rsplit("::", 1)[-1],
    )


def _struct(properties: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(_reveal_secret_envelopes(properties), struct)
    return struct


def _reveal_secret_envelopes(value: Any) -> Any:
    """Export secrets carry ciphertext; analyzers expect `value`, which the placeholder stands in for."""
    if is_secret_envelope(value):
        return {SECRET_SIG_KEY: SECRET_SIG, "value": value.get("plaintext", SECRET_PLACEHOLDER)}
    if isinstance(value, dict):
        return {key: _reveal_secret_envelopes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_reveal_secret_envelopes(item) for item in value]
    return value
