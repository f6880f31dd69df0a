"""The resource classes register with the provider's property names, credentials secret in inputs and outputs."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import dill
import pulumi
import pytest
from pulumi.dynamic.dynamic import PROVIDER_KEY
from pulumi.runtime import rpc

from components.airbyte.kinds import (
    API_CREDENTIALS,
    CONFIGURATION,
    CONNECTION,
    DESTINATION,
    NOTIFICATIONS,
    SECRET_CONFIGURATION,
    SOURCE,
    ObjectKind,
)
from components.airbyte.provider import AirbyteProvider
from components.airbyte.resources import (
    AirbyteApi,
    AirbyteConnection,
    AirbyteDestination,
    AirbyteSource,
    AirbyteWorkspaceNotifications,
)
from stack.sdk_internals import MockMonitor, is_secret_envelope, reset_root_stack

API = AirbyteApi(
    workspace_id="ws-1", api_url="https://api.airbyte.com/v1", api_credentials={"bearer_token": "tok-9"}
)


class _Echo(pulumi.runtime.Mocks):
    """Outputs are the inputs, plus the Airbyte ids a create reports."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        object_id = f"{args.name}-id"
        return object_id, {"source_id": object_id, "destination_id": object_id, **args.inputs}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list]:
        return {}, []


class _Recorder(MockMonitor):
    """Keeps every registration request, as the engine would receive it."""

    def __init__(self) -> None:
        super().__init__(_Echo())
        self.requests: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:
        self.requests[request.name] = request
        return super().RegisterResource(request)


@pytest.fixture
def monitor() -> Iterator[_Recorder]:
    """A fresh mock engine that records registrations."""
    reset_root_stack()
    recorder = _Recorder()
    pulumi.runtime.set_mocks(recorder.mocks, preview=False, monitor=recorder)
    yield recorder
    reset_root_stack()


def _is_secret(value: Any) -> bool:
    return is_secret_envelope(value)


def _resources() -> dict[str, tuple[pulumi.CustomResource, ObjectKind]]:
    host = pulumi.Output.from_input("acme.snowflakecomputing.com")  # an output of another resource
    source = AirbyteSource(
        "hubspot",
        api=API,
        configuration={"sourceType": "hubspot"},
        secret_configuration={"credentials": {"access_token": "pat-9"}},
    )
    destination = AirbyteDestination(
        "snowflake",
        api=API,
        configuration={"destinationType": "snowflake", "host": host},
        secret_configuration={"credentials": {"private_key": "pk-9"}},
    )
    connection = AirbyteConnection(
        "hubspot-to-snowflake",
        api=API,
        source_id=source.source_id,
        destination_id=destination.destination_id,
        configuration={"namespaceFormat": "HUBSPOT_DATA_RAW"},
    )
    notifications = AirbyteWorkspaceNotifications(
        "notifications",
        api=API,
        configuration={"failure": {"webhook": {"enabled": True}}},
        secret_configuration={"failure": {"webhook": {"url": "https://hooks/9"}}},
    )
    return {
        "hubspot": (source, SOURCE),
        "snowflake": (destination, DESTINATION),
        "hubspot-to-snowflake": (connection, CONNECTION),
        "notifications": (notifications, NOTIFICATIONS),
    }


@pulumi.runtime.test
def test_registrations(monitor: _Recorder) -> pulumi.Output:
    resources = _resources()

    def check(_: list) -> None:
        for name, (resource, kind) in resources.items():
            request = monitor.requests[name]
            inputs = rpc.deserialize_properties(request.object)
            assert (
                request.type
                == f"pulumi-python:dynamic/airbyte:{type(resource).__name__.removeprefix('Airbyte')}"
            )
            assert sorted(request.additionalSecretOutputs) == sorted([API_CREDENTIALS, SECRET_CONFIGURATION])
            assert _is_secret(inputs[API_CREDENTIALS]) and _is_secret(inputs[SECRET_CONFIGURATION])
            assert not _is_secret(inputs[CONFIGURATION])
            assert set(kind.inputs) <= set(inputs), "the provider diffs properties the resource must send"
            assert isinstance(getattr(resource, kind.id_output), pulumi.Output)
            provider = dill.loads(base64.b64decode(inputs[PROVIDER_KEY]["value"]))
            assert isinstance(provider, AirbyteProvider)
            assert provider.kind.label == kind.label
            for secret in ("tok-9", "pat-9", "pk-9", "https://hooks/9"):
                assert secret not in json.dumps(inputs[CONFIGURATION])
                assert secret.encode() not in base64.b64decode(inputs[PROVIDER_KEY]["value"])
        destination_inputs = rpc.deserialize_properties(monitor.requests["snowflake"].object)
        assert json.loads(destination_inputs[CONFIGURATION])["host"] == "acme.snowflakecomputing.com"
        assert rpc.deserialize_properties(monitor.requests["hubspot"].object)["name"] == "hubspot"
        connection_inputs = rpc.deserialize_properties(monitor.requests["hubspot-to-snowflake"].object)
        assert (connection_inputs["source_id"], connection_inputs["destination_id"]) == (
            "hubspot-id",
            "snowflake-id",
        )

    return pulumi.Output.all(*(resource.urn for resource, _ in resources.values())).apply(check)
