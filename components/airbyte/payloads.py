"""The JSON the Airbyte API takes, built from validated config, with the secret parts kept apart."""

# Each `*_configuration` goes to a resource's `configuration`; each `*_secret_configuration` to its
# `secret_configuration`, which the resources turn into Pulumi secrets.

from typing import Any

from stack.airbyte.access import AirbyteDestinationConfig, ApiCredentialsConfig, NotificationsConfig
from stack.airbyte.config import AirbyteConfig, AirbyteSourceConfig
from stack.airbyte.source_types import SOURCE_SPECS


def api_credentials(credentials: ApiCredentialsConfig) -> dict[str, str]:
    """The provider's `api_credentials`: bearer_token, or client_id and client_secret."""
    return {
        name: getattr(credentials, name).get_secret_value() for name in sorted(credentials.model_fields_set)
    }


def source_configuration(source: AirbyteSourceConfig) -> dict[str, Any]:
    """A source's configuration without its credentials."""
    return SOURCE_SPECS[source.source_type].configuration(source.source_type, source.settings)


def source_secret_configuration(source: AirbyteSourceConfig) -> dict[str, Any]:
    """A source's credentials, shaped to merge into its configuration."""
    credentials = {name: value.get_secret_value() for name, value in source.credentials.items()}
    return SOURCE_SPECS[source.source_type].secret_configuration(credentials)


def connection_configuration(config: AirbyteConfig, source: str) -> dict[str, Any]:
    """A source's connection: lands in its RAW schema on the shared cron, propagating schema changes."""
    streams = [
        {
            "name": stream.name,
            "syncMode": stream.sync_mode.value,
            **({"cursorField": list(stream.cursor_field)} if stream.cursor_field else {}),
            **({"primaryKey": [list(key) for key in stream.primary_key]} if stream.primary_key else {}),
        }
        for stream in config.sources[source].streams
    ]
    return {
        "schedule": {"scheduleType": "cron", "cronExpression": config.schedule.cron},
        "namespaceDefinition": "custom_format",
        "namespaceFormat": config.namespace(source),
        "nonBreakingSchemaUpdatesBehavior": "propagate_fully",
        "status": "active",
        "configurations": {"streams": streams},
    }


def notifications_configuration(notifications: NotificationsConfig) -> dict[str, Any]:
    """Which sync events post to a webhook: each one the config gives a URL."""
    return {event: {"webhook": {"enabled": True}} for event in notifications.webhooks()}


def notifications_secret_configuration(notifications: NotificationsConfig) -> dict[str, Any]:
    """Each event's own webhook URL."""
    return {
        event: {"webhook": {"url": webhook.webhook_url.get_secret_value()}}
        for event, webhook in notifications.webhooks().items()
    }


def snowflake_destination_configuration(
    *, database: str, default_schema: str, internal_schema: str, role: str, warehouse: str, username: str
) -> dict[str, Any]:
    """The Snowflake destination, signing in with key-pair authentication; the host travels with the secrets."""
    return {
        "destinationType": "snowflake",
        "database": database,
        "schema": default_schema,
        "raw_data_schema": internal_schema,
        "role": role,
        "warehouse": warehouse,
        "username": username,
        "credentials": {"auth_type": "Key Pair Authentication"},
    }


def snowflake_destination_secret_configuration(
    destination: AirbyteDestinationConfig, host: str
) -> dict[str, Any]:
    """The service user's private key (and its password, if it has one), and the host, which names the account."""
    credentials = {"private_key": destination.private_key.get_secret_value()}
    if destination.private_key_password is not None:
        credentials["private_key_password"] = destination.private_key_password.get_secret_value()
    return {"host": host, "credentials": credentials}
