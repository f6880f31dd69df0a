"""What the receiver answers a request that is not a sync webhook of ours: the token, the route, the method,
the content type, the body's shape and size; none of them triggers anything."""

import json
import socket

import httpx
import pytest

from tests.receiver.conftest import GONG_CONNECTION, MAX_BODY_BYTES, new_token, sync_body


@pytest.mark.parametrize(
    "token",
    ["wrong-but-plausible-token-0123456789abcdef", "", "x"],
    ids=["wrong", "empty", "short"],
)
def test_a_wrong_token_gets_a_bare_404_and_triggers_nothing(receiver, executor, token):
    response = receiver.client.post(
        f"{receiver.base_url}/airbyte/{token}", json=sync_body(GONG_CONNECTION, 1)
    )
    assert (response.status_code, response.json()) == (404, {"error": "not found"})
    assert executor.statements == []


def test_anything_but_the_webhook_route_looks_the_same_as_a_wrong_token(receiver):
    wrong_token = receiver.post(sync_body(GONG_CONNECTION, 1), token=new_token())
    answers = [
        receiver.client.get(f"{receiver.base_url}/"),
        receiver.client.post(f"{receiver.base_url}/airbyte", json={}),
        receiver.client.post(f"{receiver.base_url}/airbyte/{receiver.token}/", json={}),
        receiver.client.get(f"{receiver.base_url}/airbyte/{new_token()}"),
        receiver.client.request("TRACE", f"{receiver.base_url}/airbyte/{new_token()}"),
        receiver.client.request("OPTIONS", f"{receiver.base_url}/airbyte/{new_token()}"),
        receiver.client.request("PROPFIND", f"{receiver.base_url}/airbyte/{receiver.token}"),
        receiver.client.post(f"{receiver.base_url}/webhooks/airbyte/{receiver.token}", json={}),
    ]
    assert {(r.status_code, r.content, r.headers.get("location")) for r in answers} == {
        (wrong_token.status_code, wrong_token.content, None)
    }


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_a_token_holder_using_another_method_gets_405(receiver, executor, method):
    response = receiver.client.request(method, receiver.webhook_url)
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert executor.statements == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_declared_json_gets_415(receiver, executor, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps(sync_body(GONG_CONNECTION, 2)).encode()
    response = receiver.client.post(receiver.webhook_url, content=body, headers=headers)
    assert response.status_code == 415
    assert executor.statements == []


def test_json_with_a_charset_parameter_is_accepted(receiver, executor):
    body = json.dumps(sync_body(GONG_CONNECTION, 3)).encode()
    response = receiver.client.post(
        receiver.webhook_url, content=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.json() == {"action": "triggered"}


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b'{"data": {"jobId": 1', "\u00e9".encode("latin-1")],
    ids=["garbage", "empty", "truncated", "not-utf8"],
)
def test_malformed_json_gets_400(receiver, executor, body):
    response = receiver.client.post(
        receiver.webhook_url, content=body, headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()) == (400, {"error": "body is not JSON"})
    assert executor.statements == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"jobId": "41"}, "data.jobId"),  # a number as a string: Jackson writes a Long as a number
        ({"jobId": -1}, "data.jobId"),
        ({"success": 1}, "data.success"),
        ({"success": "true"}, "data.success"),
        ({"connection": {"id": "not-a-uuid", "name": "x", "url": "y"}}, "data.connection.id"),
        ({"connection": None}, "data.connection"),
    ],
)
def test_a_body_that_is_not_a_sync_webhook_gets_422_naming_the_field(receiver, executor, change, field):
    body = sync_body(GONG_CONNECTION, 41)
    body["data"].update(change)
    response = receiver.post(body)
    assert response.status_code == 422
    assert field in response.json()["error"]
    assert executor.statements == []


def test_a_schema_change_notification_is_not_a_sync_webhook(receiver, executor):
    # notifySchemaPropagated posts text and blocks but no data.
    response = receiver.post({"text": "The schema of 'gong' has changed.", "blocks": []})
    assert response.status_code == 422
    assert executor.statements == []


def test_fields_airbyte_adds_later_are_let_through(receiver, executor):
    body = sync_body(GONG_CONNECTION, 42, errorType=None, errorOrigin=None, someFutureField={"a": [1]})
    body["newTopLevelKey"] = True
    assert receiver.post(body).json() == {"action": "triggered"}


def test_a_body_over_the_limit_by_content_length_gets_413_before_it_is_read(receiver, executor):
    padded = sync_body(GONG_CONNECTION, 5, padding="x" * MAX_BODY_BYTES)
    response = receiver.post(padded)
    assert response.status_code == 413
    assert executor.statements == []


def test_a_chunked_body_over_the_limit_gets_413_while_streaming(receiver, executor):
    body = json.dumps(sync_body(GONG_CONNECTION, 6, padding="x" * MAX_BODY_BYTES)).encode()

    def chunks():
        for start in range(0, len(body), 1024):
            yield body[start : start + 1024]

    response = receiver.client.post(
        receiver.webhook_url, content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert executor.statements == []


def test_a_chunked_body_within_the_limit_is_read_whole(receiver, executor):
    body = json.dumps(sync_body(GONG_CONNECTION, 9)).encode()
    response = receiver.client.post(
        receiver.webhook_url,
        content=iter([body[:100], body[100:]]),
        headers={"Content-Type": "application/json"},
    )
    assert response.json() == {"action": "triggered"}


def test_a_lying_content_length_never_reaches_the_app(receiver, executor):
    # h11 refuses a Content-Length that is not a number before any of our code runs.
    url = httpx.URL(receiver.base_url)
    with socket.create_connection((url.host, url.port)) as raw:
        raw.sendall(
            f"POST /airbyte/{receiver.token} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: twelve\r\n\r\n{}".encode()
        )
        status_line = raw.recv(1024).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 400")
    assert executor.statements == []
