"""Fixtures for the Airbyte tests: a fresh fake Airbyte per test, providers with tiny waits, one scenario per kind."""

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from components.airbyte.client import RetryPolicy
from components.airbyte.kinds import (
    API_CREDENTIALS,
    API_URL,
    CONFIGURATION,
    CONNECTION,
    DESTINATION,
    DESTINATION_ID,
    NAME,
    NOTIFICATIONS,
    SECRET_CONFIGURATION,
    SOURCE,
    SOURCE_ID,
    WORKSPACE_ID,
    ConnectorKind,
    ObjectKind,
)
from components.airbyte.provider import AirbyteProvider
from models.json_values import canonical_json, deep_merge
from tests.airbyte.config_samples import set_at
from tests.airbyte.fake_airbyte_server import FakeAirbyte

BEARER_TOKEN = "bearer-7f3a9c2e-secret"
HUBSPOT_TOKEN = "fake-hubspot-token-for-tests"
PRIVATE_KEY = "fake-private-key-for-tests"
WEBHOOK_URL = "https://webhook.example.invalid/fake-webhook-for-tests"
FAILURE_WEBHOOK_URL = "https://chat.example.invalid/fake-failure-webhook-for-tests"
CLIENT_ID = "airbyte-app-client-id"
CLIENT_SECRET = "airbyte-app-client-secret-5e1d"
ALL_SECRETS = (
    BEARER_TOKEN,
    HUBSPOT_TOKEN,
    PRIVATE_KEY,
    "MIIEvQ-snowflake-secret",
    WEBHOOK_URL,
    FAILURE_WEBHOOK_URL,
    CLIENT_SECRET,
)

CLIENT_TIMEOUT_S = 0.2
FAST_RETRY = RetryPolicy(attempts=4, initial_wait_s=0.001, max_wait_s=0.005)
PAGE_SIZE = 2


@pytest.fixture
def airbyte() -> Iterator[FakeAirbyte]:
    """A fresh fake Airbyte on loopback; fails the test if the fake itself broke."""
    with FakeAirbyte(
        bearer_token=BEARER_TOKEN,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        slow_response_s=CLIENT_TIMEOUT_S + 0.1,
    ) as server:
        yield server
    assert not server.internal_errors, server.internal_errors[0]


@pytest.fixture
def workspace_id(airbyte: FakeAirbyte) -> str:
    """The workspace every test works in."""
    return airbyte.add_workspace()


def provider_for(kind: ObjectKind) -> AirbyteProvider:
    """A provider as deployed, but with waits and timeouts shrunk for tests."""
    return AirbyteProvider(kind, retry=FAST_RETRY, timeout_s=CLIENT_TIMEOUT_S, page_size=PAGE_SIZE)


def resource_props(
    airbyte: FakeAirbyte,
    workspace_id: str,
    configuration: Mapping[str, Any],
    secret_configuration: Mapping[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    """Inputs as the resource classes hand them to the provider: configurations as canonical JSON."""
    return {
        WORKSPACE_ID: workspace_id,
        API_URL: airbyte.url,
        API_CREDENTIALS: {"bearer_token": BEARER_TOKEN},
        CONFIGURATION: canonical_json(configuration),
        SECRET_CONFIGURATION: canonical_json(secret_configuration),
        **extra,
    }


def hubspot_props(airbyte: FakeAirbyte, workspace_id: str, name: str = "hubspot-source") -> dict[str, Any]:
    """A HubSpot source: a connector whose responses the SDK's typed models cannot parse."""
    return resource_props(
        airbyte,
        workspace_id,
        {
            "sourceType": "hubspot",
            "start_date": "2024-01-01T00:00:00Z",
            "credentials": {"credentials_title": "Private App Credentials"},
        },
        {"credentials": {"access_token": HUBSPOT_TOKEN}},
        **{NAME: name},
    )


def snowflake_props(airbyte: FakeAirbyte, workspace_id: str) -> dict[str, Any]:
    """The Snowflake destination, key-pair auth."""
    return resource_props(
        airbyte,
        workspace_id,
        {
            "destinationType": "snowflake",
            "host": "acme-sophia.snowflakecomputing.com",
            "role": "SOPHIA_AI_ETL_ROLE",
            "warehouse": "SOPHIA_AI_ETL_WH",
            "database": "SOPHIA_AI_DEV",
            "schema": "AIRBYTE_DEFAULT",
            "username": "SOPHIA_AI_AIRBYTE",
            "credentials": {"auth_type": "Key Pair Authentication"},
        },
        {"credentials": {"private_key": PRIVATE_KEY}},
        **{NAME: "snowflake-destination"},
    )


def connection_props(airbyte: FakeAirbyte, workspace_id: str) -> dict[str, Any]:
    """A connection between a source and a destination someone created beforehand."""
    source_id = airbyte.seed("sources", _body(hubspot_props(airbyte, workspace_id)))
    destination_id = airbyte.seed("destinations", _body(snowflake_props(airbyte, workspace_id)))
    return resource_props(
        airbyte,
        workspace_id,
        {
            "schedule": {"scheduleType": "cron", "cronExpression": "0 0 * * * ?"},
            "namespaceDefinition": "custom_format",
            "namespaceFormat": "HUBSPOT_DATA_RAW",
            "nonBreakingSchemaUpdatesBehavior": "propagate_fully",
            "status": "active",
            "configurations": {
                "streams": [
                    {
                        "name": "contacts",
                        "syncMode": "incremental_deduped_history",
                        "cursorField": ["updatedAt"],
                        "primaryKey": [["id"]],
                    }
                ]
            },
        },
        {},
        **{NAME: "hubspot-to-snowflake", SOURCE_ID: source_id, DESTINATION_ID: destination_id},
    )


def notifications_props(airbyte: FakeAirbyte, workspace_id: str) -> dict[str, Any]:
    """Webhooks on sync success and failure, each to its own URL; the URLs are the secret part."""
    return resource_props(
        airbyte,
        workspace_id,
        {"success": {"webhook": {"enabled": True}}, "failure": {"webhook": {"enabled": True}}},
        {"success": {"webhook": {"url": WEBHOOK_URL}}, "failure": {"webhook": {"url": FAILURE_WEBHOOK_URL}}},
    )


def _body(props: Mapping[str, Any]) -> dict[str, Any]:
    """The create request a connector resource sends, for seeding the fake directly."""
    return {
        "name": props[NAME],
        "workspaceId": props[WORKSPACE_ID],
        "configuration": desired_configuration(props),
    }


@dataclass(frozen=True)
class Scenario:
    """One object kind, end to end: its inputs, where the fake keeps it, and a change to apply."""

    kind: ObjectKind
    props: Callable[[FakeAirbyte, str], dict[str, Any]]
    change: Mapping[str, Any]  # leaf changes to the configuration, by dotted path
    path: str  # full-match regex of the object's own endpoint, for injecting faults

    @property
    def id(self) -> str:
        """The test id."""
        return self.kind.label

    def stored(self, airbyte: FakeAirbyte, object_id: str) -> dict[str, Any] | None:
        """The object as the fake keeps it (secrets in clear), or None."""
        if self.kind is NOTIFICATIONS:
            workspace = airbyte.workspaces.get(object_id)
            return workspace and workspace["notifications"]
        stored = getattr(airbyte, self.kind.collection.value).get(object_id)
        return stored if self.kind is CONNECTION or stored is None else stored["configuration"]

    def count(self, airbyte: FakeAirbyte, props: Mapping[str, Any]) -> int:
        """How many objects the fake holds under this resource's name."""
        if self.kind is NOTIFICATIONS:
            return len(airbyte.workspaces)
        return len(airbyte.named(self.kind.collection.value, props[NAME]))

    def changed(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """`props` with this scenario's change applied to the configuration."""
        configuration = json.loads(props[CONFIGURATION])
        for path, value in self.change.items():
            set_at(configuration, path, value)
        return {**props, CONFIGURATION: canonical_json(configuration)}


SCENARIOS = [
    Scenario(SOURCE, hubspot_props, {"start_date": "2025-06-01T00:00:00Z"}, r"/v1/sources(/[^/]+)?"),
    Scenario(
        DESTINATION, snowflake_props, {"warehouse": "SOPHIA_AI_ETL_XL_WH"}, r"/v1/destinations(/[^/]+)?"
    ),
    Scenario(
        CONNECTION,
        connection_props,
        {"schedule.cronExpression": "0 30 * * * ?"},
        r"/v1/connections(/[^/]+)?",
    ),
    Scenario(NOTIFICATIONS, notifications_props, {"success.webhook.enabled": False}, r"/v1/workspaces/[^/]+"),
]


def contains(actual: Any, expected: Any) -> bool:
    """Whether `actual` holds everything `expected` declares (extra keys allowed, lists item by item)."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(contains(item, pattern) for item, pattern in zip(actual, expected, strict=True))
        )
    return actual == expected


def holds(airbyte: FakeAirbyte, kind: ObjectKind, object_id: str, props: Mapping[str, Any]) -> bool:
    """Whether the fake keeps the object as `props` ask; a connector's type is kept beside its configuration."""
    wanted = desired_configuration(props)
    if kind is NOTIFICATIONS:
        return contains(airbyte.workspaces[object_id]["notifications"], wanted)
    if kind is CONNECTION:
        return contains(airbyte.connections[object_id], wanted)
    assert isinstance(kind, ConnectorKind)
    collection = kind.collection.value
    return airbyte.connector_type(collection, object_id) == wanted.pop(kind.type_key) and contains(
        getattr(airbyte, collection)[object_id]["configuration"], wanted
    )


def desired_configuration(props: Mapping[str, Any]) -> dict[str, Any]:
    """What the object's configuration must be on the server: plain and secret parts merged."""
    return deep_merge(json.loads(props[CONFIGURATION]), json.loads(props[SECRET_CONFIGURATION]))
