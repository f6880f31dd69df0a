"""The contract raw_json relies on: the SDK's private pipeline sends our JSON as its typed calls would.

If an airbyte-api release renames or changes `_get_url`, `_build_request`, `HookContext` or `do_request`,
or stops applying its auth hooks to them, these tests fail before the provider does.
"""

import json
import uuid
from collections.abc import Callable

import httpx
import pytest
from airbyte_api import AirbyteAPI, errors, models

from components.airbyte.raw_json import RawJson

API = "https://airbyte.invalid/api/public/v1"


def _sdk(
    security: models.Security, answer: Callable[[httpx.Request], httpx.Response]
) -> tuple[AirbyteAPI, list]:
    """An SDK whose HTTP client records every request and answers it with `answer`."""
    sent: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request)

    client = httpx.Client(transport=httpx.MockTransport(transport))
    # Given an async client, the SDK never closes one of its own with asyncio.run, which would unset the
    # event loop other tests run on (airbyte_api/httpclient.py, close_clients).
    sdk = AirbyteAPI(
        security=security, server_url=API, timeout_ms=2500, client=client, async_client=httpx.AsyncClient()
    )
    return sdk, sent


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"sourceId": "s-1"})


def test_a_body_goes_out_as_json_with_the_sdks_url_headers_auth_and_timeout() -> None:
    sdk, sent = _sdk(models.Security(bearer_auth="contract-token"), _ok)
    body = {"name": "n", "configuration": {"sourceType": "hubspot", "credentials": {"x": 1}}}

    response = RawJson(sdk).send("createSource", "POST", "/sources", body=body)

    (request,) = sent
    assert (request.method, str(request.url)) == ("POST", f"{API}/sources")
    assert json.loads(request.content) == body
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["authorization"] == "Bearer contract-token"
    assert request.headers["user-agent"] == sdk.sdk_configuration.user_agent
    assert request.extensions["timeout"]["read"] == 2.5
    assert response.json() == {"sourceId": "s-1"}


def test_a_query_reaches_the_url_and_no_body_means_no_content() -> None:
    sdk, sent = _sdk(models.Security(bearer_auth="contract-token"), _ok)

    RawJson(sdk).send("listSources", "GET", "/sources", query={"workspaceIds": ["w-1", "w-2"], "limit": 5})

    (request,) = sent
    assert str(request.url) == f"{API}/sources?workspaceIds=w-1&workspaceIds=w-2&limit=5"
    assert request.content == b""
    assert "content-type" not in request.headers


def test_an_error_status_raises_the_sdks_error_with_status_and_body() -> None:
    sdk, _ = _sdk(models.Security(bearer_auth="t"), lambda _: httpx.Response(404, json={"detail": "gone"}))

    with pytest.raises(errors.SDKError) as raised:
        RawJson(sdk).send("getSource", "GET", "/sources/s-1")

    assert raised.value.status_code == 404
    assert json.loads(raised.value.body) == {"detail": "gone"}


def test_client_credentials_are_exchanged_for_a_token_by_the_sdks_hook() -> None:
    client_id = f"contract-{uuid.uuid4()}"  # the hook caches sessions per client id across SDK instances

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/applications/token"):
            return httpx.Response(
                200, json={"access_token": "exchanged", "token_type": "Bearer", "expires_in": 180}
            )
        return _ok(request)

    security = models.Security(
        client_credentials=models.SchemeClientCredentials(
            client_id=client_id, client_secret="s", token_url=f"{API}/applications/token"
        )
    )
    sdk, sent = _sdk(security, answer)

    RawJson(sdk).send("getSource", "GET", "/sources/s-1")

    token_request, request = sent
    assert (token_request.method, str(token_request.url)) == ("POST", f"{API}/applications/token")
    assert f"client_id={client_id}" in token_request.content.decode()
    assert request.headers["authorization"] == "Bearer exchanged"
