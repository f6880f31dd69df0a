"""The receiver over real HTTP on loopback: each kind of request gets its answer and triggers once or never."""

import asyncio
import json
import socket
from uuid import uuid4

import httpx
import pytest

from sophia.receiver.executors import SnowflakeUnavailable, StatementRefused
from sophia.receiver.ledger import JobKey, Ledger
from sophia.receiver.tokens import load_tokens
from tests.receiver.conftest import (
    GONG_CONNECTION,
    HUBSPOT_CONNECTION,
    MAX_BODY_BYTES,
    TRIGGERS,
    RecordingExecutor,
    log_entries,
    new_token,
    run_coroutine,
    running_receiver,
    sync_body,
)

GONG_STATEMENT = f"EXECUTE TASK {TRIGGERS[GONG_CONNECTION]}"
HUBSPOT_STATEMENT = f"EXECUTE TASK {TRIGGERS[HUBSPOT_CONNECTION]}"


def test_successful_sync_of_a_known_connection_executes_its_gate_task(receiver, executor, log_lines):
    response = receiver.post(sync_body(HUBSPOT_CONNECTION, 41))
    assert (response.status_code, response.json()) == (200, {"action": "triggered"})
    assert executor.statements == [HUBSPOT_STATEMENT]
    [line] = log_entries(log_lines)
    assert line | {"duration_ms": 0} == {
        "ts": line["ts"],
        "level": "info",
        "logger": "sophia.receiver.requests",
        "event": "request",
        "method": "POST",
        "path": "/airbyte/{token}",
        "status": 200,
        "duration_ms": 0,
        "connection_id": str(HUBSPOT_CONNECTION),
        "job_id": 41,
        "action": "triggered",
        "task": TRIGGERS[HUBSPOT_CONNECTION],
    }


def test_a_duplicate_delivery_is_answered_but_triggers_nothing(receiver, executor):
    first = receiver.post(sync_body(GONG_CONNECTION, 7))
    again = receiver.post(sync_body(GONG_CONNECTION, 7))
    other_job = receiver.post(sync_body(GONG_CONNECTION, 8))
    assert [r.json()["action"] for r in (first, again, other_job)] == ["triggered", "duplicate", "triggered"]
    assert executor.statements == [GONG_STATEMENT, GONG_STATEMENT]


def test_twenty_concurrent_deliveries_of_one_job_trigger_it_once(tokens):
    executor = RecordingExecutor(delay_s=0.05)  # a slow Snowflake keeps the first trigger in flight

    async def deliver_all(url: str) -> list[str]:
        async with httpx.AsyncClient(timeout=30) as client:
            responses = await asyncio.gather(
                *(client.post(url, json=sync_body(GONG_CONNECTION, 99)) for _ in range(20))
            )
        return sorted(r.json()["action"] for r in responses)

    with running_receiver(executor, tokens) as receiver:
        actions = run_coroutine(deliver_all(receiver.webhook_url))
    assert actions == ["duplicate"] * 19 + ["triggered"]
    assert executor.statements == [GONG_STATEMENT]
    assert receiver.jobs.asked == [(GONG_CONNECTION, 99)]  # Airbyte is asked once, under the job's lock


def test_a_failed_sync_triggers_nothing_and_is_logged(receiver, executor, log_lines):
    body = sync_body(
        GONG_CONNECTION, 12, success=False, errorMessage="Something went wrong in the connector."
    )
    response = receiver.post(body)
    assert (response.status_code, response.json()) == (200, {"action": "ignored_failed_sync"})
    assert executor.statements == []
    [line] = log_entries(log_lines)
    assert (line["action"], line["connection_id"], line["job_id"]) == (
        "ignored_failed_sync",
        str(GONG_CONNECTION),
        12,
    )


def test_a_failed_sync_leaves_a_later_success_of_the_same_job_id_free_to_trigger(receiver, executor):
    receiver.post(sync_body(GONG_CONNECTION, 13, success=False))
    assert receiver.post(sync_body(GONG_CONNECTION, 13)).json() == {"action": "triggered"}
    assert executor.statements == [GONG_STATEMENT]


def test_an_unknown_connection_triggers_nothing_and_is_logged(receiver, executor, log_lines):
    # Airbyte's "Test" button sends exactly this: a success summary with a random connection id.
    stranger = uuid4()
    response = receiver.post(sync_body(stranger, 10))
    assert (response.status_code, response.json()) == (200, {"action": "ignored_unknown_connection"})
    assert executor.statements == []
    [line] = log_entries(log_lines)
    assert (line["action"], line["connection_id"]) == ("ignored_unknown_connection", str(stranger))


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


def test_snowflake_unavailable_answers_503_and_the_job_stays_retryable(receiver, executor, log_lines):
    executor.fail_next(SnowflakeUnavailable("OperationalError errno=250001 sqlstate=08001"))
    first = receiver.post(sync_body(GONG_CONNECTION, 77))
    assert (first.status_code, executor.statements) == (503, [])
    assert JobKey(GONG_CONNECTION, 77) not in receiver.ledger
    again = receiver.post(sync_body(GONG_CONNECTION, 77))
    assert again.json() == {"action": "triggered"}
    assert executor.statements == [GONG_STATEMENT]
    assert [line["action"] for line in log_entries(log_lines)] == ["snowflake_unavailable", "triggered"]
    assert log_entries(log_lines)[0]["error"] == "OperationalError errno=250001 sqlstate=08001"


def test_a_refused_trigger_answers_502_and_the_job_stays_retryable(receiver, executor):
    executor.fail_next(
        StatementRefused("ProgrammingError errno=3001 sqlstate=42501: Insufficient privileges")
    )
    assert receiver.post(sync_body(GONG_CONNECTION, 78)).status_code == 502
    assert receiver.post(sync_body(GONG_CONNECTION, 78)).json() == {"action": "triggered"}
    assert executor.statements == [GONG_STATEMENT]


def test_health_answers_without_a_token_and_without_touching_snowflake(receiver, executor):
    response = receiver.client.get(f"{receiver.base_url}/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert receiver.client.post(f"{receiver.base_url}/healthz").status_code == 404
    assert executor.statements == []


def test_no_server_header_advertises_the_stack(receiver):
    assert "server" not in receiver.client.get(f"{receiver.base_url}/healthz").headers


def test_two_tokens_are_accepted_while_rotating(executor):
    old, new = new_token(), new_token()
    with running_receiver(executor, load_tokens({"SOPHIA_HOOKS_TOKENS": f"{old},{new}"}, None)) as receiver:
        assert receiver.post(sync_body(GONG_CONNECTION, 1), token=old).json() == {"action": "triggered"}
        assert receiver.post(sync_body(GONG_CONNECTION, 2), token=new).json() == {"action": "triggered"}
        assert receiver.post(sync_body(GONG_CONNECTION, 3), token=new_token()).status_code == 404
    assert len(executor.statements) == 2


def test_one_line_per_request_and_no_secret_in_any_line(receiver, tokens, log_lines):
    receiver.post(sync_body(GONG_CONNECTION, 1))
    receiver.post(sync_body(GONG_CONNECTION, 1))
    receiver.post(sync_body(GONG_CONNECTION, 2), token=tokens.secrets[0][:-1] + "A")
    receiver.client.get(f"{receiver.base_url}/airbyte/{receiver.token}")
    receiver.client.post(receiver.webhook_url, content=b"{", headers={"Content-Type": "application/json"})
    receiver.client.get(f"{receiver.base_url}/healthz")
    receiver.client.get(f"{receiver.base_url}/{receiver.token}")
    lines = log_entries(log_lines)
    assert len(lines) == 7
    assert {line["path"] for line in lines} == {"/airbyte/{token}", "/healthz", "(unrouted)"}
    assert [line.get("action") for line in lines if line["path"] == "(unrouted)"] == ["unrouted"]
    everything = "\n".join(log_lines)
    assert receiver.token not in everything
    assert receiver.token[:16] not in everything
    assert tokens.secrets[0][:-1] not in everything


def test_a_restarted_receiver_with_the_same_ledger_file_still_knows_the_job(tokens, tmp_path):
    executor = RecordingExecutor()
    with running_receiver(executor, tokens, ledger=Ledger(tmp_path / "ledger.jsonl")) as receiver:
        assert receiver.post(sync_body(GONG_CONNECTION, 5)).json() == {"action": "triggered"}
    with running_receiver(executor, tokens, ledger=Ledger(tmp_path / "ledger.jsonl")) as restarted:
        assert restarted.post(sync_body(GONG_CONNECTION, 5)).json() == {"action": "duplicate"}
        assert restarted.post(sync_body(GONG_CONNECTION, 6)).json() == {"action": "triggered"}
    assert executor.statements == [GONG_STATEMENT, GONG_STATEMENT]


def test_shutdown_closes_the_executor(tokens):
    executor = RecordingExecutor()
    with running_receiver(executor, tokens):
        assert not executor.closed
    assert executor.closed
