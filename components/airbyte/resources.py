"""Pulumi resources for Airbyte objects on the dynamic provider; credentials always travel as Pulumi secrets."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pulumi
import pulumi.dynamic

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
    SECRET_PROPERTIES,
    SOURCE,
    SOURCE_ID,
    WORKSPACE_ID,
    ObjectKind,
)
from components.airbyte.provider import AirbyteProvider
from models.json_values import canonical_json
from stack.sdk_internals import serialise_providers_without_leaking

JsonInput = pulumi.Input[Mapping[str, Any]]
# Every Airbyte resource serialises its provider; without this, a process fails after about 970 of them.
serialise_providers_without_leaking()


@dataclass(frozen=True)
class AirbyteApi:
    """Where and as whom every Airbyte resource talks to the API; the credentials become secrets."""

    workspace_id: pulumi.Input[str]
    api_url: pulumi.Input[str]
    api_credentials: pulumi.Input[Mapping[str, pulumi.Input[str]]]


class _AirbyteResource(pulumi.dynamic.Resource):
    """Shared constructor: encodes configurations as JSON, marks credentials secret in inputs and outputs."""

    _kind: ClassVar[ObjectKind]

    def _register(
        self,
        name: str,
        *,
        api: AirbyteApi,
        configuration: JsonInput,
        secret_configuration: JsonInput | None,
        extra: Mapping[str, Any],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        props = {
            WORKSPACE_ID: api.workspace_id,
            API_URL: api.api_url,
            API_CREDENTIALS: pulumi.Output.secret(api.api_credentials),
            CONFIGURATION: pulumi.Output.from_input(configuration).apply(canonical_json),
            SECRET_CONFIGURATION: pulumi.Output.secret(
                pulumi.Output.from_input(secret_configuration or {}).apply(canonical_json)
            ),
            **extra,
        }
        props.setdefault(self._kind.id_output, None)  # declared, so the output becomes an attribute
        # Dynamic providers return outputs in clear; only this option makes Pulumi encrypt them in state.
        secret_outputs = pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_PROPERTIES))
        super().__init__(
            AirbyteProvider(self._kind), name, props, pulumi.ResourceOptions.merge(opts, secret_outputs)
        )


class _ConnectorResource(_AirbyteResource):
    """Sources and destinations: a connector configuration whose credentials sit in `secret_configuration`."""

    configuration: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        api: AirbyteApi,
        configuration: JsonInput,
        secret_configuration: JsonInput | None = None,
        airbyte_name: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        self._register(
            name,
            api=api,
            configuration=configuration,
            secret_configuration=secret_configuration,
            extra={NAME: airbyte_name or name},
            opts=opts,
        )


class AirbyteSource(_ConnectorResource, module="airbyte", name="Source"):
    """An Airbyte source; `secret_configuration` is merged into `configuration` only when sent to Airbyte."""

    _kind = SOURCE
    source_id: pulumi.Output[str]


class AirbyteDestination(_ConnectorResource, module="airbyte", name="Destination"):
    """An Airbyte destination; `secret_configuration` is merged into `configuration` only when sent to Airbyte."""

    _kind = DESTINATION
    destination_id: pulumi.Output[str]


class AirbyteConnection(_AirbyteResource, module="airbyte", name="Connection"):
    """A connection from a source to a destination: schedule, namespace and streams in `configuration`."""

    _kind = CONNECTION
    connection_id: pulumi.Output[str]
    configuration: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        api: AirbyteApi,
        source_id: pulumi.Input[str],
        destination_id: pulumi.Input[str],
        configuration: JsonInput,
        airbyte_name: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        self._register(
            name,
            api=api,
            configuration=configuration,
            secret_configuration=None,
            extra={NAME: airbyte_name or name, SOURCE_ID: source_id, DESTINATION_ID: destination_id},
            opts=opts,
        )


class AirbyteWorkspaceNotifications(_AirbyteResource, module="airbyte", name="WorkspaceNotifications"):
    """A workspace's notification settings; webhook URLs belong in `secret_configuration`."""

    _kind = NOTIFICATIONS
    configuration: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        api: AirbyteApi,
        configuration: JsonInput,
        secret_configuration: JsonInput,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        self._register(
            name,
            api=api,
            configuration=configuration,
            secret_configuration=secret_configuration,
            extra={},
            opts=opts,
        )
