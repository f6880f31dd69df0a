"""Validated config becomes the JSON the real API schema takes, with every secret in the secret part only."""

import json

import pytest
from airbyte_api import models

from components.airbyte.payloads import (
    api_credentials,
    connection_configuration,
    notifications_configuration,
    notifications_secret_configuration,
    snowflake_destination_configuration,
    snowflake_destination_secret_configuration,
    source_configuration,
    source_secret_configuration,
)
from models.json_values import deep_merge
from stack.airbyte.config import AirbyteConfig, AirbyteSourceConfig
from stack.airbyte.source_types import SOURCE_SPECS, SourceType
from tests.airbyte.test_config import ALL_SECRET, valid, validate_airbyte_config

SETTINGS = {SourceType.SLACK: {"start_date": "2024-01-01T00:00:00Z", "channel_filter": ["general"]}}


def _source(source_type: SourceType) -> AirbyteSourceConfig:
    spec = SOURCE_SPECS[source_type]
    return AirbyteSourceConfig.model_validate(
        {
            "sourceType": source_type.value,
            "settings": SETTINGS.get(source_type, {}),
            "credentials": {name: f"{name}-secret-value" for name in spec.credential_fields},
            "streams": [
                {
                    "name": "stream",
                    "cursorField": ["updated"],
                    "primaryKey": [["id"]],
                    "checks": [{"check": "not_null", "columns": ["id", "updated"]}, {"check": "unique"}],
                }
            ],
        }
    )


@pytest.mark.parametrize("source_type", list(SourceType), ids=str)
def test_source_payloads_fit_the_sdks_model_of_the_connector(source_type: SourceType) -> None:
    source = _source(source_type)
    plain, secret = source_configuration(source), source_secret_configuration(source)

    typed = SOURCE_SPECS[source_type].sdk_model.model_validate(deep_merge(plain, secret))

    dumped = json.dumps(typed.model_dump(mode="json", by_alias=True))
    for name in SOURCE_SPECS[source_type].credential_fields:
        assert f"{name}-secret-value" in dumped, f"{name} is not where the connector reads it"
        assert f"{name}-secret-value" not in json.dumps(plain)
    assert plain["sourceType"] == source_type.value


def test_connection_lands_in_the_raw_schema_hourly_propagating_schema_changes() -> None:
    config = validate_airbyte_config(valid(), ALL_SECRET)

    payload = connection_configuration(config, "SLACK")

    assert models.ConnectionCreateRequest.model_validate({**payload, "sourceId": "s", "destinationId": "d"})
    assert payload["namespaceDefinition"] == "custom_format"
    assert payload["namespaceFormat"] == "SLACK_DATA_RAW"
    assert payload["schedule"] == {"scheduleType": "cron", "cronExpression": "0 0 * * * ?"}
    assert payload["nonBreakingSchemaUpdatesBehavior"] == "propagate_fully"
    assert payload["configurations"]["streams"] == [
        {
            "name": "channel_messages",
            "syncMode": "incremental_deduped_history",
            "cursorField": ["ts"],
            "primaryKey": [["channel_id"], ["ts"]],
        },
        {"name": "users", "syncMode": "full_refresh_overwrite"},
    ]


def test_success_and_failure_each_post_to_their_own_secret_webhook() -> None:
    notifications = AirbyteConfig.model_validate(valid(), context={"secret_paths": ALL_SECRET}).notifications
    plain, secret = (
        notifications_configuration(notifications),
        notifications_secret_configuration(notifications),
    )

    typed = models.NotificationsConfig.model_validate(deep_merge(plain, secret))

    assert typed.success.webhook.enabled and typed.failure.webhook.enabled
    assert typed.success.webhook.url == "https://hooks.example.invalid/airbyte/receiver-token-secret-5"
    assert typed.failure.webhook.url == "https://chat.example.invalid/channel-secret-6"
    assert "example.invalid" not in json.dumps(plain)
    assert set(plain) == set(secret) == {"success", "failure"}  # other events stay as the workspace has them


def test_snowflake_destination_uses_key_pair_auth() -> None:
    destination = validate_airbyte_config(valid(), ALL_SECRET).destination
    plain = snowflake_destination_configuration(
        database="SOPHIA_AI_DEV",
        default_schema="GONG_DATA_RAW",
        internal_schema="AIRBYTE_INTERNAL",
        role="SOPHIA_AI_ETL_ROLE",
        warehouse="SOPHIA_AI_DEV_ETL_WH",
        username="SOPHIA_AI_AIRBYTE",
    )

    typed = models.DestinationSnowflake.model_validate(
        deep_merge(
            plain, snowflake_destination_secret_configuration(destination, "acme.snowflakecomputing.com")
        )
    )

    assert isinstance(typed.credentials, models.DestinationSnowflakeKeyPairAuthentication)
    assert (typed.schema_, typed.raw_data_schema) == ("GONG_DATA_RAW", "AIRBYTE_INTERNAL")
    assert typed.credentials.private_key == "pk-secret-4"
    assert "pk-secret-4" not in json.dumps(plain)
    assert typed.host == "acme.snowflakecomputing.com" and "acme" not in json.dumps(plain)


def test_api_credentials_for_the_provider() -> None:
    config = validate_airbyte_config(valid(), ALL_SECRET)

    assert api_credentials(config.api_credentials) == {"bearer_token": "bearer-secret-91"}
