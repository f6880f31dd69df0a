"""Bad Airbyte config is refused before any resource exists, naming the field, the value given and what is allowed."""

import pytest
from pydantic import ValidationError

from stack.airbyte.config import AirbyteConfig, AirbyteSourceConfig
from stack.airbyte.source_types import SOURCE_SPECS, SourceType
from tests.airbyte.config_samples import (
    ALL_SECRET,
    WORKSPACE,
    changed,
    rejection,
    valid,
    validate_airbyte_config,
)


def test_the_valid_config_is_accepted_with_hourly_utc_default_schedule() -> None:
    config = validate_airbyte_config(valid(), ALL_SECRET)

    assert (config.schedule.cron, config.schedule.timezone) == ("0 0 * * * ?", "UTC")
    assert config.namespace("GONG") == "GONG_DATA_RAW"
    assert config.sources["GONG"].credentials["access_key"].get_secret_value() == "gong-key-secret-1"


def test_credentials_secret_one_by_one_are_accepted() -> None:
    paths = {f"airbyte.{path}" for path in validate_airbyte_config(valid(), ALL_SECRET).credential_paths()}

    assert validate_airbyte_config(valid(), paths).workspace_id == WORKSPACE


def test_unknown_source_type() -> None:
    message = rejection(changed("sources.GONG.sourceType", "gongg"))

    assert "sources.GONG.sourceType" in message
    assert (
        "sourceType 'gongg' is not allowed; allowed: 'gong', 'hubspot', 'slack', 'notion', 'salesforce'"
        in message
    )


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ({"access_key": "gong-key-secret-1"}, "missing ['access_key_secret'], unknown []"),
        (
            {"access_key": "gong-key-secret-1", "access_key_secret": "s", "password": "x"},
            "missing [], unknown ['password']",
        ),
    ],
    ids=["missing", "unknown"],
)
def test_credentials_must_match_the_source_type(credentials: dict[str, str], expected: str) -> None:
    message = rejection(changed("sources.GONG.credentials", credentials))

    assert "sources.GONG" in message
    assert (
        f"credentials of sourceType 'gong' must be exactly ['access_key', 'access_key_secret']; {expected}"
        in message
    )


def test_a_credential_given_in_clear() -> None:
    secret = {
        "airbyte.apiCredentials",
        "airbyte.notifications",
        "airbyte.destination",
        "airbyte.sources.SLACK",
    }
    secret.add("airbyte.sources.GONG.credentials.access_key")

    message = rejection(valid(), secret)

    assert (
        "airbyte.sources.GONG.credentials.access_key_secret must be a Pulumi secret but was given in clear"
        in message
    )
    assert "pulumi config set --secret --path 'airbyte.sources.GONG.credentials.access_key_secret'" in message
    assert "credentials.access_key must" not in message


def test_without_knowing_what_was_secret_every_credential_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        AirbyteConfig.model_validate(valid())

    message = str(raised.value)
    assert "airbyte.apiCredentials.bearerToken must be a Pulumi secret" in message
    assert "airbyte.sources.SLACK.credentials.api_token must be a Pulumi secret" in message


@pytest.mark.parametrize(
    ("missing", "present"), [("cursorField", "primaryKey"), ("primaryKey", "cursorField")]
)
def test_deduplicated_streams_need_a_cursor_and_a_primary_key(missing: str, present: str) -> None:
    stream = {
        "name": "calls",
        "syncMode": "incremental_deduped_history",
        present: ["id"] if present == "cursorField" else [["id"]],
    }

    message = rejection(changed("sources.GONG.streams", [stream]))

    assert "sources.GONG.streams.0" in message
    assert (
        f"stream 'calls' has syncMode 'incremental_deduped_history', which needs cursorField and primaryKey; missing {missing}"
        in message
    )


def test_unknown_sync_mode() -> None:
    message = rejection(changed("sources.GONG.streams.0.syncMode", "incremental"))

    assert "sources.GONG.streams.0.syncMode" in message
    assert "syncMode 'incremental' is not allowed; allowed: 'full_refresh_overwrite'," in message
    assert "'incremental_deduped_history'" in message


def test_duplicate_streams() -> None:
    message = rejection(changed("sources.SLACK.streams.1.name", "channel_messages"))

    assert "sources.SLACK" in message and "streams ['channel_messages'] are listed more than once" in message


@pytest.mark.parametrize(
    ("cron", "reason"),
    [
        ("0 * * * *", "has 5 fields; Quartz needs 6 or 7"),
        ("0 0 * * * *", "exactly one of day-of-month and day-of-week must be '?'"),
        ("0 0 25 * * ?", "hour '25' is out of range; allowed: 0-23"),
        ("0 0 0 30 FEB ?", "never fires: no month in 'FEB' has day '30'"),
    ],
)
def test_cron_must_be_quartz(cron: str, reason: str) -> None:
    message = rejection(changed("schedule", {"cron": cron}))

    assert "schedule.cron" in message
    assert f"cron {cron!r} is not a valid Quartz cron expression: {reason}" in message
    assert "e.g. '0 0 * * * ?'" in message


def test_timezone_must_be_utc() -> None:
    message = rejection(changed("schedule", {"timezone": "Europe/Paris"}))

    assert "schedule.timezone" in message
    assert (
        "timezone 'Europe/Paris' is not allowed (Airbyte's public API runs every cron in UTC); allowed: 'UTC'"
        in message
    )


def test_namespace_must_be_the_sources_raw_schema() -> None:
    message = rejection(changed("sources.GONG.namespace", "GONG_RAW"))

    assert (
        "sources.GONG.namespace 'GONG_RAW' is not allowed (source GONG lands in its declared RAW schema); allowed: 'GONG_DATA_RAW'"
        in message
    )


def test_settings_must_fit_the_connector() -> None:
    message = rejection(changed("sources.SLACK.settings", {}))

    assert "sources.SLACK" in message
    assert "settings do not fit Airbyte's 'slack' connector: settings.start_date: Field required" in message


def test_credentials_do_not_belong_in_settings() -> None:
    message = rejection(changed("sources.GONG.settings", {"access_key": "k"}))

    assert "settings ['access_key'] are set from sourceType and credentials" in message


def test_unknown_keys_are_errors() -> None:
    message = rejection(changed("sources.GONG.stream", []))

    assert "sources.GONG.stream" in message and "Extra inputs are not permitted" in message


@pytest.mark.parametrize("event", ["success", "failure"])
def test_each_webhook_must_be_https_and_is_not_shown(event: str) -> None:
    message = rejection(changed(f"notifications.{event}.webhookUrl", "http://hooks.example/secret-path"))

    assert f"notifications.{event}.webhookUrl" in message and "must be an https:// URL" in message
    assert "secret-path" not in message


@pytest.mark.parametrize("event", ["success", "failure"])
def test_each_event_needs_its_own_webhook(event: str) -> None:
    raw = valid()
    del raw["notifications"][event]

    assert f"notifications.{event}\n  Field required" in rejection(raw)


def test_a_single_webhook_for_every_event_is_refused() -> None:
    message = rejection(changed("notifications", {"webhookUrl": "https://hooks.example.invalid/x"}))

    assert "notifications.webhookUrl" in message and "Extra inputs are not permitted" in message


def test_each_webhook_must_arrive_as_a_secret() -> None:
    secret = {"airbyte.apiCredentials", "airbyte.notifications.success", "airbyte.destination"}
    secret |= {"airbyte.sources.GONG", "airbyte.sources.SLACK"}

    message = rejection(valid(), secret)

    assert (
        "airbyte.notifications.failure.webhookUrl must be a Pulumi secret but was given in clear" in message
    )
    assert "notifications.success.webhookUrl must" not in message


def test_api_credentials_take_one_method() -> None:
    message = rejection(changed("apiCredentials", {"bearerToken": "bearer-secret-91", "clientId": "id"}))

    assert (
        "apiCredentials takes bearerToken, or clientId and clientSecret; given ['bearerToken', 'clientId']"
        in message
    )


def test_source_names_are_snowflake_identifiers() -> None:
    raw = valid()
    raw["sources"]["gong; drop"] = raw["sources"].pop("GONG")

    assert "sources.gong; drop" in rejection(raw)


def test_every_source_type_is_registered() -> None:
    assert set(SOURCE_SPECS) == set(SourceType)


def test_a_source_alone_validates_without_secret_context() -> None:
    source = AirbyteSourceConfig.model_validate(valid()["sources"]["GONG"])

    assert source.source_type is SourceType.GONG
