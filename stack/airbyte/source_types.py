"""The SaaS source connectors the platform knows, one declaration each: type, definition, credentials, shape."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from stack.airbyte.connector_schemas import connector_model


class SyncMode(StrEnum):
    """How a connection syncs a stream: the values of the SDK's ConnectionSyncModeEnum (a test keeps them equal)."""

    # Declared here so that reading the stack config does not load the SDK, and httpx's command line with it.
    FULL_REFRESH_OVERWRITE = "full_refresh_overwrite"
    FULL_REFRESH_OVERWRITE_DEDUPED = "full_refresh_overwrite_deduped"
    FULL_REFRESH_APPEND = "full_refresh_append"
    FULL_REFRESH_UPDATE = "full_refresh_update"
    FULL_REFRESH_SOFT_DELETE = "full_refresh_soft_delete"
    INCREMENTAL_APPEND = "incremental_append"
    INCREMENTAL_DEDUPED_HISTORY = "incremental_deduped_history"
    INCREMENTAL_UPDATE = "incremental_update"
    INCREMENTAL_SOFT_DELETE = "incremental_soft_delete"


class SourceType(StrEnum):
    """Known sources, by their Airbyte source definition type name (`configuration.sourceType`)."""

    GONG = "gong"
    HUBSPOT = "hubspot"
    SLACK = "slack"
    NOTION = "notion"
    SALESFORCE = "salesforce"


@dataclass(frozen=True)
class SourceSpec:
    """How one connector authenticates: the credentials it needs and where they sit in its configuration."""

    credential_fields: tuple[str, ...]
    # The name of the SDK's typed model of the connector's configuration, the reference for its shape.
    sdk_model_name: str
    # Airbyte's id of the connector's definition, which the public API resolves the type name to
    # (airbyte-server publicapi NameToDefinitionMapper); the local Airbyte API of the tests answers with it.
    definition_id: str
    # Where the credentials sit: at the top level, or inside the `credentials` object.
    credentials_key: str | None = None
    # Constant fields that tell the connector which of its authentication methods is used.
    auth_selector: Mapping[str, str] = field(default_factory=dict)

    @property
    def sdk_model(self) -> type[BaseModel]:
        """The SDK's model, for the calls to Airbyte and the tests; reading the config uses `settings_model`."""
        from airbyte_api import models

        return getattr(models, self.sdk_model_name)

    @property
    def settings_model(self) -> type[BaseModel]:
        """The SDK's model rebuilt from its committed schema, so that checking settings loads no SDK."""
        return connector_model(self.sdk_model_name)

    @property
    def reserved_settings(self) -> frozenset[str]:
        """Configuration keys this spec fills in itself, so plain settings must not set them."""
        return frozenset(
            {"sourceType", *self.credential_fields, *self.auth_selector, self.credentials_key or ""}
        )

    def configuration(self, source_type: SourceType, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The plain part of the Airbyte configuration: settings, type and the auth method, no credentials."""
        configuration = {**settings, "sourceType": source_type.value}
        if self.credentials_key:
            configuration[self.credentials_key] = dict(self.auth_selector)
        else:
            configuration.update(self.auth_selector)
        return configuration

    def secret_configuration(self, credentials: Mapping[str, str]) -> dict[str, Any]:
        """The secret part, shaped to merge into `configuration`: the credentials where the connector reads them."""
        return {self.credentials_key: dict(credentials)} if self.credentials_key else dict(credentials)


SOURCE_SPECS: Mapping[SourceType, SourceSpec] = {
    SourceType.GONG: SourceSpec(
        ("access_key", "access_key_secret"),
        "SourceGong",
        definition_id="32382e40-3b49-4b99-9c5c-4076501914e7",
    ),
    SourceType.HUBSPOT: SourceSpec(
        ("access_token",),
        "SourceHubspot",
        definition_id="36c891d9-4bd9-43ac-bad2-10e12756272c",
        credentials_key="credentials",
        auth_selector={"credentials_title": "Private App Credentials"},
    ),
    SourceType.SLACK: SourceSpec(
        ("api_token",),
        "SourceSlack",
        definition_id="c2281cee-86f9-4a86-bb48-d23286b4c7bd",
        credentials_key="credentials",
        auth_selector={"option_title": "API Token Credentials"},
    ),
    SourceType.NOTION: SourceSpec(
        ("token",),
        "SourceNotion",
        definition_id="6e00b415-b02e-4160-bf02-58176a0ae687",
        credentials_key="credentials",
        auth_selector={"auth_type": "token"},
    ),
    SourceType.SALESFORCE: SourceSpec(
        ("client_id", "client_secret", "refresh_token"),
        "SourceSalesforce",
        definition_id="b117307c-14b6-41aa-9422-947e34922962",
        auth_selector={"auth_type": "Client"},
    ),
}
