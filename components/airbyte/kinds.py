"""What differs between the Airbyte object kinds Pulumi manages: endpoints, request bodies, identity, replacement."""

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from components.airbyte.client import AirbyteClient, Collection
from components.airbyte.errors import AirbyteError, NotFoundError
from models.json_values import deep_merge, project, string_leaves
from stack.airbyte.quartz_cron import without_api_time_zone

# Property names of the dynamic resources, shared by the provider and the resource classes.
NAME = "name"
WORKSPACE_ID = "workspace_id"
API_URL = "api_url"
API_CREDENTIALS = "api_credentials"
CONFIGURATION = "configuration"
SECRET_CONFIGURATION = "secret_configuration"
SOURCE_ID = "source_id"
DESTINATION_ID = "destination_id"
# Configurations travel as canonical JSON strings, so state and diffs compare them exactly.
JSON_PROPERTIES = frozenset({CONFIGURATION, SECRET_CONFIGURATION})
SECRET_PROPERTIES = (API_CREDENTIALS, SECRET_CONFIGURATION)
COMMON_INPUTS = (NAME, WORKSPACE_ID, API_URL, API_CREDENTIALS, CONFIGURATION, SECRET_CONFIGURATION)


@dataclass(frozen=True)
class Desired:
    """A resource's properties, decoded: configurations parsed, the secret part kept apart until sent."""

    props: Mapping[str, Any]
    configuration: dict[str, Any]
    secrets: dict[str, Any]

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> "Desired":
        """Decodes the JSON-string properties the resource classes send."""
        return cls(
            props, json.loads(props[CONFIGURATION]), json.loads(props.get(SECRET_CONFIGURATION) or "{}")
        )

    @property
    def sent_configuration(self) -> dict[str, Any]:
        """What Airbyte receives: the plain configuration with the secrets merged back in."""
        return deep_merge(self.configuration, self.secrets)


def secret_values(props: Mapping[str, Any]) -> list[str]:
    """Every secret string in a resource's properties, for redaction; works on malformed properties too."""
    encoded = props.get(SECRET_CONFIGURATION) or "{}"
    try:
        secrets = json.loads(encoded)
    except (TypeError, ValueError):
        secrets = encoded
    return [*string_leaves(props.get(API_CREDENTIALS)), *string_leaves(secrets)]


class ObjectKind(ABC):
    """One kind of Airbyte object, as the generic provider drives it."""

    label: str
    id_output: str
    inputs: tuple[str, ...] = COMMON_INPUTS
    replace_on: frozenset[str]

    def describe(self, props: Mapping[str, Any]) -> str:
        """How messages name the object: `source 'gong'`."""
        return f"{self.label} {props.get(NAME)!r}"

    @abstractmethod
    def create(self, client: AirbyteClient, desired: Desired) -> dict[str, Any]:
        """Brings the object into being (or adopts it) and returns the API's view of it."""

    @abstractmethod
    def read(self, client: AirbyteClient, object_id: str) -> dict[str, Any] | None:
        """The API's view of the object, or None when it is gone."""

    @abstractmethod
    def update(self, client: AirbyteClient, object_id: str, desired: Desired) -> dict[str, Any]:
        """Patches the object in place to the desired state."""

    @abstractmethod
    def delete(self, client: AirbyteClient, object_id: str, desired: Desired) -> None:
        """Removes the object; one already gone is fine."""

    @abstractmethod
    def object_id(self, response: Mapping[str, Any]) -> str:
        """The Airbyte id in an API response."""

    @abstractmethod
    def live(self, response: Mapping[str, Any]) -> dict[str, Any]:
        """Property values as the API reports them; CONFIGURATION holds the whole reported configuration."""

    def tracked(self, live_configuration: Any, declared: Mapping[str, Any]) -> Any:
        """The part of the reported configuration that Pulumi stores and diffs: what the inputs declare."""
        return project(live_configuration, declared)


class _CollectionKind(ObjectKind):
    """Objects with their own collection endpoint, created once per name per workspace."""

    collection: Collection

    def create(self, client: AirbyteClient, desired: Desired) -> dict[str, Any]:
        props = desired.props
        found, adopted = client.create_or_adopt(
            self.collection, props[WORKSPACE_ID], props[NAME], self.create_body(desired)
        )
        if not adopted:
            return found
        conflict = self.conflict(found, desired)
        if conflict:
            raise AirbyteError(
                f"cannot adopt the existing {self.label} named {props[NAME]!r} "
                f"({found[self.collection.id_key]}): {conflict}; rename or delete one of them"
            )
        return self.update(client, found[self.collection.id_key], desired)

    def read(self, client: AirbyteClient, object_id: str) -> dict[str, Any] | None:
        return client.get(self.collection, object_id)

    def update(self, client: AirbyteClient, object_id: str, desired: Desired) -> dict[str, Any]:
        return client.patch(self.collection, object_id, self.patch_body(desired))

    def delete(self, client: AirbyteClient, object_id: str, desired: Desired) -> None:
        client.delete(self.collection, object_id)

    def object_id(self, response: Mapping[str, Any]) -> str:
        return response[self.collection.id_key]

    @abstractmethod
    def create_body(self, desired: Desired) -> dict[str, Any]:
        """The JSON of the create request."""

    @abstractmethod
    def patch_body(self, desired: Desired) -> dict[str, Any]:
        """The JSON of the patch request: everything the API lets us change in place."""

    @abstractmethod
    def conflict(self, existing: Mapping[str, Any], desired: Desired) -> str | None:
        """Why an existing object of the same name is not this one, if it is not."""


class ConnectorKind(_CollectionKind):
    """Sources and destinations: a named connector configuration in a workspace."""

    def __init__(self, collection: Collection, type_key: str) -> None:
        self.collection = collection
        self.label = collection.singular
        self.id_output = f"{collection.singular}_id"
        self.type_key = type_key
        # The connector type and the workspace cannot be patched; everything else can.
        self.replace_on = frozenset({WORKSPACE_ID, f"{CONFIGURATION}.{type_key}"})

    def create_body(self, desired: Desired) -> dict[str, Any]:
        return {
            "name": desired.props[NAME],
            "workspaceId": desired.props[WORKSPACE_ID],
            "configuration": desired.sent_configuration,
        }

    def patch_body(self, desired: Desired) -> dict[str, Any]:
        return {"name": desired.props[NAME], "configuration": desired.sent_configuration}

    def conflict(self, existing: Mapping[str, Any], desired: Desired) -> str | None:
        wanted = desired.configuration.get(self.type_key)
        if existing.get(self.type_key) != wanted:
            return f"it is a {existing.get(self.type_key)!r} {self.label}, not {wanted!r}"
        return None

    def tracked(self, live_configuration: Any, declared: Mapping[str, Any]) -> Any:
        # The type is always kept, even when `declared` comes from state that lacks it, so a refresh restores it.
        return project(live_configuration, {**declared, self.type_key: None})

    def live(self, response: Mapping[str, Any]) -> dict[str, Any]:
        # Airbyte saves the configuration without its type and reports the type beside it (airbyte-server
        # SourcesController / DestinationsController: removeSourceTypeNode, removeDestinationType; the read
        # mappers name the type from the definition), so the type goes back where the inputs declare it.
        return {
            NAME: response["name"],
            WORKSPACE_ID: response["workspaceId"],
            CONFIGURATION: {**response["configuration"], self.type_key: response[self.type_key]},
        }


class ConnectionKind(_CollectionKind):
    """A connection from one source to one destination; its configuration holds no secrets."""

    collection = Collection.CONNECTIONS
    label = "connection"
    id_output = "connection_id"
    inputs = (*COMMON_INPUTS, SOURCE_ID, DESTINATION_ID)
    # Airbyte cannot re-point a connection: a new source or destination means a new connection.
    replace_on = frozenset({WORKSPACE_ID, SOURCE_ID, DESTINATION_ID})

    def create_body(self, desired: Desired) -> dict[str, Any]:
        return {
            **self.patch_body(desired),
            "sourceId": desired.props[SOURCE_ID],
            "destinationId": desired.props[DESTINATION_ID],
        }

    def patch_body(self, desired: Desired) -> dict[str, Any]:
        return {**desired.sent_configuration, "name": desired.props[NAME]}

    def conflict(self, existing: Mapping[str, Any], desired: Desired) -> str | None:
        ends = (existing.get("sourceId"), existing.get("destinationId"))
        wanted = (desired.props[SOURCE_ID], desired.props[DESTINATION_ID])
        if ends != wanted:
            return f"it connects source {ends[0]} to destination {ends[1]}, not {wanted[0]} to {wanted[1]}"
        return None

    def live(self, response: Mapping[str, Any]) -> dict[str, Any]:
        return {
            NAME: response["name"],
            WORKSPACE_ID: response["workspaceId"],
            SOURCE_ID: response["sourceId"],
            DESTINATION_ID: response["destinationId"],
            CONFIGURATION: {**response, "schedule": _schedule_as_declared(response["schedule"])},
        }


def _schedule_as_declared(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """A connection's schedule as read back, its cron in the form the inputs give it."""
    if "cronExpression" not in schedule:  # manual and basic schedules have none
        return dict(schedule)
    return {**schedule, "cronExpression": without_api_time_zone(schedule["cronExpression"])}


class NotificationsKind(ObjectKind):
    """A workspace's notification settings: always there, so create and delete are patches of the workspace."""

    label = "notifications"
    id_output = WORKSPACE_ID
    inputs = tuple(name for name in COMMON_INPUTS if name != NAME)
    replace_on = frozenset({WORKSPACE_ID})

    def describe(self, props: Mapping[str, Any]) -> str:
        return f"notifications of workspace {props.get(WORKSPACE_ID)!r}"

    def create(self, client: AirbyteClient, desired: Desired) -> dict[str, Any]:
        return self.update(client, desired.props[WORKSPACE_ID], desired)

    def read(self, client: AirbyteClient, object_id: str) -> dict[str, Any] | None:
        return client.get_workspace(object_id)

    def update(self, client: AirbyteClient, object_id: str, desired: Desired) -> dict[str, Any]:
        return client.update_workspace(object_id, {"notifications": desired.sent_configuration})

    def delete(self, client: AirbyteClient, object_id: str, desired: Desired) -> None:
        """Switches off every channel this resource turned on; the workspace itself stays."""
        switched_off = {
            event: {channel: {"enabled": False} for channel in channels}
            for event, channels in desired.configuration.items()
        }
        with suppress(NotFoundError):  # the workspace is gone, and its notifications with it
            client.update_workspace(object_id, {"notifications": switched_off})

    def object_id(self, response: Mapping[str, Any]) -> str:
        return response["workspaceId"]

    def live(self, response: Mapping[str, Any]) -> dict[str, Any]:
        return {WORKSPACE_ID: response["workspaceId"], CONFIGURATION: response["notifications"]}


SOURCE = ConnectorKind(Collection.SOURCES, "sourceType")
DESTINATION = ConnectorKind(Collection.DESTINATIONS, "destinationType")
CONNECTION = ConnectionKind()
NOTIFICATIONS = NotificationsKind()
