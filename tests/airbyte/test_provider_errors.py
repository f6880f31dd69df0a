"""Refusals come back as clear errors carrying the API's message; no secret reaches an error, a log or plain state."""

import json
import logging
import traceback

import pytest

from components.airbyte.kinds import (
    API_CREDENTIALS,
    CONFIGURATION,
    DESTINATION,
    NAME,
    SECRET_CONFIGURATION,
    SECRET_PROPERTIES,
    SOURCE,
)
from components.airbyte.provider import AirbyteProviderError
from tests.airbyte.conftest import (
    ALL_SECRETS,
    CLIENT_ID,
    CLIENT_SECRET,
    FAST_RETRY,
    SCENARIOS,
    Scenario,
    hubspot_props,
    provider_for,
    snowflake_props,
)
from tests.airbyte.fake_airbyte_server import FakeAirbyte, Fault


def _with_bad_start_date(props: dict) -> dict:
    """Inputs the fake rejects with a 400 that quotes the whole configuration back, secrets included."""
    return {
        **props,
        CONFIGURATION: json.dumps({**json.loads(props[CONFIGURATION]), "start_date": "yesterday"}),
    }


def _assert_no_secret(text: str) -> None:
    leaked = [secret for secret in ALL_SECRETS if secret in text or json.dumps(secret)[1:-1] in text]
    assert not leaked, f"secret(s) in clear: {leaked}"


def _shown_by_pulumi(error: BaseException) -> str:
    """What the dynamic provider host prints for a failed call: the formatted traceback."""
    return "".join(traceback.format_exception(error))


@pytest.mark.parametrize("make_props", [hubspot_props, snowflake_props], ids=["source", "destination"])
def test_a_refusal_names_the_object_quotes_the_api_and_redacts_secrets(
    make_props, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    props = _with_bad_start_date(make_props(airbyte, workspace_id))
    provider = provider_for(SOURCE if make_props is hubspot_props else DESTINATION)

    with pytest.raises(AirbyteProviderError) as raised:
        provider.create(props)

    message = str(raised.value)
    assert f"Airbyte create of {provider.kind.label} '{props[NAME]}' failed" in message
    assert "HTTP 400 from Airbyte: $.start_date: does not match the date-time pattern" in message
    assert "[secret]" in message, "the API quoted the secret back; it must be replaced, not dropped"
    _assert_no_secret(_shown_by_pulumi(raised.value))
    assert raised.value.__suppress_context__, "a chained SDK error could quote the request"


def test_a_missing_credential_is_reported_with_the_apis_field(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    props = {**hubspot_props(airbyte, workspace_id), SECRET_CONFIGURATION: "{}"}

    with pytest.raises(
        AirbyteProviderError, match=r"HTTP 422 from Airbyte: .*\$\.credentials\.access_token: is missing"
    ):
        provider_for(SOURCE).create(props)
    assert airbyte.sources == {}


def test_a_wrong_api_token_is_a_clear_error_without_the_token(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    props = {**hubspot_props(airbyte, workspace_id), API_CREDENTIALS: {"bearer_token": "wrong-token-0451"}}

    with pytest.raises(
        AirbyteProviderError, match=r"HTTP 401 from Airbyte: Invalid or missing bearer token"
    ) as raised:
        provider_for(SOURCE).create(props)
    assert "wrong-token-0451" not in _shown_by_pulumi(raised.value)


def test_api_credentials_of_unknown_shape_are_refused(airbyte: FakeAirbyte, workspace_id: str) -> None:
    props = {**hubspot_props(airbyte, workspace_id), API_CREDENTIALS: {"password": "hunter2-secret"}}

    with pytest.raises(
        AirbyteProviderError, match=r"bearer_token, or client_id and client_secret; got keys \['password'\]"
    ) as raised:
        provider_for(SOURCE).create(props)
    assert "hunter2-secret" not in _shown_by_pulumi(raised.value)


def test_client_credentials_sign_in(
    airbyte: FakeAirbyte, workspace_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    props = {
        **hubspot_props(airbyte, workspace_id),
        API_CREDENTIALS: {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    }

    created = provider_for(SOURCE).create(props)

    assert created.id in airbyte.sources
    assert ("POST", "/v1/applications/token") in airbyte.requests
    _assert_no_secret(caplog.text)


def test_retries_log_no_secret_and_the_final_error_says_what_kept_failing(
    airbyte: FakeAirbyte, workspace_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the SDK's and httpx's included
    props = hubspot_props(airbyte, workspace_id)
    airbyte.inject(
        "POST", r"/v1/sources", Fault.SERVER_ERROR, times=FAST_RETRY.attempts
    )  # echoes the request

    with pytest.raises(
        AirbyteProviderError, match=r"POST /sources: still failing after 4 attempts \(last: HTTP 500\)"
    ) as raised:
        provider_for(SOURCE).create(props)

    retries = [
        r for r in caplog.records if r.name == "components.airbyte.client" and r.levelno == logging.WARNING
    ]
    assert len(retries) == FAST_RETRY.attempts - 1
    assert all("POST /sources failed (HTTP 500)" in record.getMessage() for record in retries)
    _assert_no_secret(caplog.text)
    _assert_no_secret(_shown_by_pulumi(raised.value))
    assert airbyte.sources == {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_secrets_stay_in_the_outputs_pulumi_encrypts(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)

    created = provider.create(props)
    updated = provider.update(created.id, created.outs, scenario.changed(props))
    read = provider.read(created.id, updated.outs)
    provider.delete(created.id, read.outs)

    for outs in (created.outs, updated.outs, read.outs):
        _assert_no_secret(
            json.dumps({name: value for name, value in outs.items() if name not in SECRET_PROPERTIES})
        )
    _assert_no_secret(caplog.text)
