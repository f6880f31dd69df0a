"""JSON helpers that keep secret configuration apart from plain configuration, and out of messages."""

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# What the Airbyte API returns in place of a secret it stores.
MASK = "**********"
REDACTED = "[secret]"
_ABSENT = object()


def canonical_json(value: Any) -> str:
    """One spelling per value, so equal configurations are equal strings in state and in diffs."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `overlay` laid over it, nested objects merged key by key: how secrets rejoin their config."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def project(live: Any, like: Any) -> Any:
    """The part of `live` that `like` declares: keys the API adds or that hold secrets are left out."""
    if isinstance(like, Mapping) and isinstance(live, Mapping):
        return {key: project(live[key], value) for key, value in like.items() if key in live}
    if _named(like) and _named(live):
        # Lists of named objects (streams) are matched by name: the API may list them in another order.
        by_name = {item["name"]: item for item in live}
        matched = [project(by_name[item["name"]], item) for item in like if item["name"] in by_name]
        return matched + [item for item in live if item["name"] not in {i["name"] for i in like}]
    if isinstance(like, list) and isinstance(live, list) and len(like) == len(live):
        return [project(item, pattern) for item, pattern in zip(live, like, strict=True)]
    return live


def _named(value: Any) -> bool:
    """A non-empty list of objects that each carry a `name`."""
    return (
        isinstance(value, list) and bool(value) and all(isinstance(i, Mapping) and "name" in i for i in value)
    )


def unmasked(known: Any, live: Any) -> Any:
    """Each secret in `known` as the API reports it, unless the API masks it: then the last known value."""
    if isinstance(known, Mapping):
        live = live if isinstance(live, Mapping) else {}
        return {key: unmasked(value, live.get(key)) for key, value in known.items()}
    return known if live in (None, MASK) else live


def changed_paths(old: Any, new: Any, path: str) -> list[str]:
    """Dotted paths of every leaf that differs between `old` and `new`, objects compared key by key."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return [
            changed
            for key in sorted(old.keys() | new.keys())
            for changed in changed_paths(old.get(key, _ABSENT), new.get(key, _ABSENT), f"{path}.{key}")
        ]
    return [] if old == new else [path]


def string_leaves(value: Any) -> Iterator[str]:
    """Every string inside a JSON value: the secrets to redact, when the value is secret."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from string_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from string_leaves(item)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced, as given or JSON-escaped (an API may quote a request back)."""
    spellings = {spelling for secret in secrets if secret for spelling in (secret, json.dumps(secret)[1:-1])}
    for spelling in sorted(spellings, key=len, reverse=True):
        text = text.replace(spelling, REDACTED)
    return text
