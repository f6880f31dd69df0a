"""Airbyte's credentials arrive in their own secret config key and are merged into the `airbyte` section.

Pulumi marks a whole top-level key secret, never a part of it, so the settings (`airbyte`, in the stack
file) and the credentials (`airbyteSecrets`, from Pulumi ESC or `config set --secret`) are two keys. Only
credentials that came from a secret key count as secret: one typed into `airbyte` in clear is refused.
"""

from collections.abc import Mapping
from typing import Any

from models.json_values import deep_merge

SETTINGS_KEY = "airbyte"
SECRETS_KEY = "airbyteSecrets"


def merge_airbyte_secrets(raw: Mapping[str, Any], secret_keys: set[str]) -> tuple[dict[str, Any], set[str]]:
    """The config with `airbyteSecrets` merged into `airbyte`, and the dotted paths that arrived as secrets."""
    merged = {key: value for key, value in raw.items() if key != SECRETS_KEY}
    secret_paths = set(secret_keys) - {SECRETS_KEY}
    secrets = raw.get(SECRETS_KEY)
    if isinstance(secrets, Mapping) and isinstance(raw.get(SETTINGS_KEY), Mapping):
        merged[SETTINGS_KEY] = deep_merge(dict(raw[SETTINGS_KEY]), dict(secrets))
        if SECRETS_KEY in secret_keys:
            # A value also typed into the clear section was exposed there, whatever the secret key says.
            typed_in_clear = set(_leaf_paths(raw[SETTINGS_KEY]))
            secret_paths |= {f"{SETTINGS_KEY}.{p}" for p in _leaf_paths(secrets) if p not in typed_in_clear}
    return merged, secret_paths


def _leaf_paths(document: Mapping[str, Any], prefix: str = "") -> list[str]:
    """`a.b.c` for every leaf of a nested mapping."""
    paths = []
    for key, value in document.items():
        path = f"{prefix}{key}"
        paths.extend(_leaf_paths(value, f"{path}.") if isinstance(value, Mapping) else [path])
    return paths
