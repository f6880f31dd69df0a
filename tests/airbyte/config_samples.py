"""A valid Airbyte config and the helpers that validate it, change one path of it, or expect its rejection."""

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from stack.airbyte.config import SECRET_PATHS, AirbyteConfig

WORKSPACE = "7f0c8a1e-2b3c-4d5e-8f90-123456789abc"
SECRET_VALUES = (
    "bearer-secret-91",
    "gong-key-secret-1",
    "gong-secret-secret-2",
    "xoxb-secret-3",
    "pk-secret-4",
    "receiver-token-secret-5",
    "channel-secret-6",
)
ALL_SECRET = {"airbyte"}  # Pulumi marks the whole top-level key secret once any path below it is


def valid() -> dict[str, Any]:
    """A complete, valid Airbyte config with two sources."""
    return {
        "workspaceId": WORKSPACE,
        "apiCredentials": {"bearerToken": "bearer-secret-91"},
        "notifications": {
            "success": {"webhookUrl": "https://hooks.example.invalid/airbyte/receiver-token-secret-5"},
            "failure": {"webhookUrl": "https://chat.example.invalid/channel-secret-6"},
        },
        "destination": {"privateKey": "pk-secret-4"},
        "sources": {
            "GONG": {
                "sourceType": "gong",
                "settings": {"start_date": "2024-01-01T00:00:00Z"},
                "credentials": {
                    "access_key": "gong-key-secret-1",
                    "access_key_secret": "gong-secret-secret-2",
                },
                "streams": [
                    {
                        "name": "calls",
                        "cursorField": ["started"],
                        "primaryKey": [["id"]],
                        "checks": [{"check": "not_null", "columns": ["id", "started"]}, {"check": "unique"}],
                    }
                ],
            },
            "SLACK": {
                "sourceType": "slack",
                "settings": {"start_date": "2024-01-01T00:00:00Z"},
                "credentials": {"api_token": "xoxb-secret-3"},
                "namespace": "SLACK_DATA_RAW",
                "streams": [
                    {
                        "name": "channel_messages",
                        "cursorField": ["ts"],
                        "primaryKey": [["channel_id"], ["ts"]],
                        "checks": [
                            {"check": "not_null", "columns": ["channel_id", "ts"]},
                            {"check": "unique"},
                        ],
                    },
                    {"name": "users", "syncMode": "full_refresh_overwrite"},
                ],
            },
        },
    }


def validate_airbyte_config(raw: dict[str, Any], secret_paths: set[str] = ALL_SECRET) -> AirbyteConfig:
    """Validates like the stack loader does, knowing which config paths arrived as secrets."""
    return AirbyteConfig.model_validate(raw, context={SECRET_PATHS: secret_paths})


def rejection(raw: dict[str, Any], secret_paths: set[str] = ALL_SECRET) -> str:
    """The validation error for `raw`, as text; fails the test if `raw` is accepted."""
    with pytest.raises(ValidationError) as raised:
        validate_airbyte_config(raw, secret_paths)
    message = str(raised.value)
    assert not [secret for secret in SECRET_VALUES if secret in message], "an error showed a secret"
    return message


def changed(path: str, value: Any) -> dict[str, Any]:
    """The valid config with one dotted path set to `value`."""
    raw = copy.deepcopy(valid())
    set_at(raw, path, value)
    return raw


def set_at(document: dict[str, Any], path: str, value: Any) -> None:
    """Sets one dotted path of a JSON document in place; a number steps into a list."""
    *parents, leaf = path.split(".")
    target: Any = document
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    target[leaf] = value
