"""The receiver over real HTTP on loopback: a sync webhook of ours triggers its gate task once, or says why not."""

import asyncio
from uuid import uuid4

import httpx

from sophia.receiver.executors import SnowflakeUnavailable, StatementRefused
from sophia.receiver.ledger import JobKey, Ledger
from sophia.receiver.tokens import load_tokens
from tests.receiver.conftest import (
    GONG_CONNECTION,
    HUBSPOT_CONNECTION,
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


def test_a_failed_sync_logs_its_connections_gate_task_and_none_for_an_unknown_connection(
    receiver, executor, log_lines
):
    receiver.post(sync_body(GONG_CONNECTION, 14, success=False))
    receiver.post(sync_body(uuid4(), 15, success=False))
    known, unknown = log_entries(log_lines)
    assert (known["action"], known["task"]) == ("ignored_failed_sync", TRIGGERS[GONG_CONNECTION])
    assert (unknown["action"], unknown["task"]) == ("ignored_failed_sync", None)
    assert executor.statements == [] and receiver.jobs.asked == []  # Airbyte is not asked about a failure


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
