"""The receiver's Airbyte client against the fake Airbyte: which jobs it confirms, and how it fails."""

import socket
from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest

from sophia.receiver.airbyte_jobs import AirbyteAccess, AirbyteJobs, AirbyteUnavailable, JobNotConfirmed
from tests.airbyte.fake_airbyte_server import FakeAirbyte
from tests.airbyte.sync_webhooks import FAILED
from tests.receiver.conftest import GONG_CONNECTION, seed_gong_connection, sync_body

BEARER = "bearer-of-the-job-confirmation-tests"
CLIENT = {"client_id": "receiver-client-id", "client_secret": "receiver-client-secret"}


@pytest.fixture
def airbyte() -> Iterator[FakeAirbyte]:
    """A fake Airbyte that takes the bearer token and the application's client credentials."""
    with FakeAirbyte(bearer_token=BEARER, **CLIENT) as server:
        yield server
    assert not server.internal_errors, server.internal_errors[0]


def jobs_of(airbyte: FakeAirbyte, **credentials: str) -> AirbyteJobs:
    return AirbyteJobs(AirbyteAccess(airbyte.url, credentials or {"bearer_token": BEARER}, timeout_s=2))


@pytest.mark.parametrize("credentials", [{"bearer_token": BEARER}, CLIENT], ids=["bearer", "client"])
def test_a_succeeded_sync_of_the_connection_is_confirmed(airbyte: FakeAirbyte, credentials) -> None:
    connection = uuid4()
    job_id = airbyte.syncs.finished_job(str(connection))
    jobs = jobs_of(airbyte, **credentials)
    jobs.confirm(connection, job_id)
    jobs.close()
    assert ("GET", f"/v1/jobs/{job_id}") in airbyte.requests


@pytest.mark.parametrize(
    ("job", "reason"),
    [
        ("unknown", "Airbyte knows no job"),
        ("failed", "is failed, not succeeded"),
        ("other-connection", "belongs to another connection"),
    ],
)
def test_a_job_airbyte_does_not_confirm_is_refused_with_the_reason(airbyte: FakeAirbyte, job, reason) -> None:
    connection = uuid4()
    job_ids = {
        "unknown": airbyte.syncs.finished_job(str(connection)) + 100,
        "failed": airbyte.syncs.finished_job(str(connection), FAILED),
        "other-connection": airbyte.syncs.finished_job(str(uuid4())),
    }
    with pytest.raises(JobNotConfirmed, match=reason):
        jobs_of(airbyte).confirm(connection, job_ids[job])


def test_a_running_job_is_not_confirmed_until_it_has_succeeded(airbyte: FakeAirbyte) -> None:
    # A forged "success" for a job still running is refused; the genuine webhook comes after the status.
    _, connection_id = seed_gong_connection(airbyte)
    airbyte.syncs.run_time_s = 0.5
    job_id = airbyte.syncs.start(airbyte.connections[connection_id])["jobId"]
    jobs = jobs_of(airbyte)
    with pytest.raises(JobNotConfirmed, match="is running, not succeeded"):
        jobs.confirm(UUID(connection_id), job_id)
    airbyte.syncs.wait(job_id)
    jobs.confirm(UUID(connection_id), job_id)


def test_revoked_credentials_leave_the_job_owed(airbyte: FakeAirbyte) -> None:
    job_id = airbyte.syncs.finished_job(str(connection := uuid4()))
    with pytest.raises(AirbyteUnavailable, match="HTTP 401"):
        jobs_of(airbyte, bearer_token="revoked").confirm(connection, job_id)
    with pytest.raises(AirbyteUnavailable, match="Unexpected status code 401 from token endpoint"):
        jobs_of(airbyte, client_id="receiver-client-id", client_secret="wrong").confirm(connection, job_id)


def test_an_airbyte_nobody_answers_at_leaves_the_job_owed() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    jobs = AirbyteJobs(AirbyteAccess(f"http://127.0.0.1:{port}/v1", {"bearer_token": BEARER}, timeout_s=1))
    with pytest.raises(AirbyteUnavailable, match="ConnectError"):
        jobs.confirm(uuid4(), 1)


def test_no_secret_reaches_the_errors(airbyte: FakeAirbyte) -> None:
    job_id = airbyte.syncs.finished_job(str(connection := uuid4()))
    with pytest.raises(AirbyteUnavailable) as raised:
        jobs_of(airbyte, client_id="receiver-client-id", client_secret="a-secret-that-must-not-show").confirm(
            connection, job_id
        )
    assert "a-secret-that-must-not-show" not in str(raised.value)


def test_neither_a_failed_sync_nor_an_unknown_connection_nor_a_duplicate_asks_airbyte(receiver) -> None:
    receiver.post(sync_body(GONG_CONNECTION, 21, success=False))
    receiver.post(sync_body(uuid4(), 22))
    receiver.post(sync_body(GONG_CONNECTION, 23))
    receiver.post(sync_body(GONG_CONNECTION, 23))
    assert receiver.jobs.asked == [(GONG_CONNECTION, 23)]
