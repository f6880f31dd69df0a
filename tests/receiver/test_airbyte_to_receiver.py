"""End to end: the fake Airbyte runs a sync and delivers its real-shaped webhook over HTTPS to the receiver."""

import datetime
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from airbyte_api import AirbyteAPI, api, errors, models
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sophia.receiver.airbyte_jobs import AirbyteAccess, AirbyteJobs
from sophia.receiver.executors import SnowflakeUnavailable
from sophia.receiver.ledger import JobKey, Ledger
from tests.airbyte.fake_airbyte_server import FakeAirbyte, Fault
from tests.airbyte.sync_webhooks import FAILED
from tests.receiver.conftest import (
    LOOPBACK,
    Receiver,
    RecordingExecutor,
    log_entries,
    running_receiver,
    seed_gong_connection,
    sync_body,
)

BEARER = "bearer-for-the-sync-tests"
GATE_TASK = "SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE"


@pytest.fixture(scope="module")
def loopback_tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: Airbyte requires an https webhook URL, so the receiver has one."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@pytest.fixture
def airbyte(loopback_tls: tuple[Path, Path]) -> Iterator[FakeAirbyte]:
    """A fake Airbyte that trusts the receiver's certificate, as its deployment would be set up to."""
    with FakeAirbyte(bearer_token=BEARER) as server:
        server.syncs.trust(loopback_tls[0])
        yield server
    assert not server.internal_errors, server.internal_errors[0]


@pytest.fixture
def gong_connection(airbyte: FakeAirbyte) -> tuple[str, str]:
    """(workspace id, connection id) of a Gong -> Snowflake connection."""
    return seed_gong_connection(airbyte)


@pytest.fixture
def wired(
    airbyte: FakeAirbyte, gong_connection: tuple[str, str], tokens, loopback_tls
) -> Iterator[tuple[AirbyteAPI, Receiver]]:
    """The receiver serving HTTPS, and the workspace's success and failure webhooks pointed at it through the
    public API, as the stack's notification resource does."""
    workspace_id, connection_id = gong_connection
    executor = RecordingExecutor()
    # The receiver's own Airbyte client, confirming each job with the fake as it would with Airbyte.
    jobs = AirbyteJobs(AirbyteAccess(airbyte.url, {"bearer_token": BEARER}, timeout_s=2))
    with (
        running_receiver(
            executor, tokens, {UUID(connection_id): GATE_TASK}, Ledger(), loopback_tls, jobs=jobs
        ) as receiver,
        airbyte_sdk(airbyte) as sdk,
    ):
        webhook = models.NotificationConfig(
            webhook=models.WebhookNotificationConfig(enabled=True, url=receiver.webhook_url)
        )
        sdk.workspaces.update_workspace(
            request=api.UpdateWorkspaceRequest(
                workspace_id=workspace_id,
                workspace_update_request=models.WorkspaceUpdateRequest(
                    notifications=models.NotificationsConfig(success=webhook, failure=webhook)
                ),
            )
        )
        yield sdk, receiver
    jobs.close()


@contextmanager
def airbyte_sdk(airbyte: FakeAirbyte) -> Iterator[AirbyteAPI]:
    """The real SDK on the fake, with both its HTTP clients supplied: a client the SDK builds itself is closed
    by a finalizer that calls asyncio.run, which leaves the main thread without an event loop."""
    with httpx.Client() as client:
        yield AirbyteAPI(
            server_url=airbyte.url,
            security=models.Security(bearer_auth=BEARER),
            client=client,
            async_client=httpx.AsyncClient(),
        )


def start_sync(sdk: AirbyteAPI, connection_id: str) -> int:
    """`POST /v1/jobs` through the SDK; the job id of the started sync."""
    response = sdk.jobs.create_job(
        request=models.JobCreateRequest(connection_id=connection_id, job_type=models.JobTypeEnum.SYNC)
    )
    assert response.job_response is not None
    assert response.job_response.status == models.JobStatusEnum.RUNNING
    return response.job_response.job_id


def test_a_finished_sync_triggers_its_gate_task_exactly_once(airbyte, gong_connection, wired, log_lines):
    sdk, receiver = wired
    _, connection_id = gong_connection
    job_id = start_sync(sdk, connection_id)
    [delivery] = airbyte.syncs.wait(job_id)
    assert delivery.url.startswith("https://127.0.0.1:")
    assert delivery.status == 200
    assert delivery.body["data"]["success"] is True
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"]
    assert JobKey(UUID(connection_id), job_id) in receiver.ledger
    [line] = log_entries(log_lines)
    assert (line["action"], line["connection_id"], line["job_id"]) == ("triggered", connection_id, job_id)


def test_the_same_webhook_delivered_again_triggers_nothing_more(airbyte, gong_connection, wired):
    sdk, receiver = wired
    job_id = start_sync(sdk, gong_connection[1])
    airbyte.syncs.wait(job_id)
    again = airbyte.syncs.redeliver(job_id)
    assert again.status == 200
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"]


def test_each_sync_job_triggers_once(airbyte, gong_connection, wired):
    sdk, receiver = wired
    jobs = [start_sync(sdk, gong_connection[1]) for _ in range(3)]
    assert [airbyte.syncs.wait(job)[0].status for job in jobs] == [200, 200, 200]
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"] * 3
    assert len(receiver.ledger) == 3


def test_a_failed_sync_is_delivered_to_the_failure_webhook_and_triggers_nothing(
    airbyte, gong_connection, wired
):
    sdk, receiver = wired
    airbyte.syncs.end_next(gong_connection[1], FAILED)
    job_id = start_sync(sdk, gong_connection[1])
    [delivery] = airbyte.syncs.wait(job_id)
    assert delivery.body["data"]["success"] is False
    assert delivery.status == 200
    assert receiver.executor.statements == []


def test_a_receiver_that_cannot_reach_snowflake_answers_503_and_airbyte_does_not_retry(
    airbyte, gong_connection, wired
):
    # What is owed stays owed: the scheduled gate run promotes the batch instead.
    sdk, receiver = wired
    receiver.executor.fail_next(SnowflakeUnavailable("OperationalError errno=250001 sqlstate=08001"))
    job_id = start_sync(sdk, gong_connection[1])
    assert [d.status for d in airbyte.syncs.wait(job_id)] == [503]
    assert receiver.executor.statements == []
    assert len(receiver.ledger) == 0


def test_without_a_webhook_nothing_is_delivered(airbyte, gong_connection):
    with airbyte_sdk(airbyte) as sdk:
        job_id = start_sync(sdk, gong_connection[1])
    assert airbyte.syncs.wait(job_id) == []


def test_a_job_for_an_unknown_connection_is_refused_by_the_api(airbyte):
    with airbyte_sdk(airbyte) as sdk, pytest.raises(errors.SDKError, match="Status 404"):
        start_sync(sdk, "00000000-0000-4000-8000-000000000000")


def test_the_receiver_asks_airbyte_about_the_job_before_it_triggers(airbyte, gong_connection, wired):
    sdk, receiver = wired
    job_id = start_sync(sdk, gong_connection[1])
    airbyte.syncs.wait(job_id)
    asked = [request for request in airbyte.requests if request == ("GET", f"/v1/jobs/{job_id}")]
    assert asked == [("GET", f"/v1/jobs/{job_id}")]
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"]


def forged(delivery_body: dict[str, Any], **data: Any) -> dict[str, Any]:
    """A genuine webhook body with some of its data changed, as whoever learnt the URL could send."""
    return {**delivery_body, "data": {**delivery_body["data"], **data}}


def test_a_job_airbyte_does_not_know_is_refused_and_logged(airbyte, gong_connection, wired, log_lines):
    sdk, receiver = wired
    job_id = start_sync(sdk, gong_connection[1])
    [genuine] = airbyte.syncs.wait(job_id)
    answer = receiver.post(forged(genuine.body, jobId=job_id + 1000))
    assert (answer.status_code, answer.json()) == (403, {"error": "Airbyte does not confirm this job"})
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"]
    refused = log_entries(log_lines)[-1]
    assert (refused["action"], refused["job_id"]) == ("rejected_unconfirmed_job", job_id + 1000)
    assert refused["error"] == f"Airbyte knows no job {job_id + 1000}"


def test_a_failed_job_forged_as_a_success_is_refused(airbyte, gong_connection, wired):
    sdk, receiver = wired
    airbyte.syncs.end_next(gong_connection[1], FAILED)
    job_id = start_sync(sdk, gong_connection[1])
    [failure] = airbyte.syncs.wait(job_id)
    answer = receiver.post(forged(failure.body, success=True, errorMessage=None))
    assert answer.status_code == 403
    assert receiver.executor.statements == []
    assert len(receiver.ledger) == 0


def test_a_job_of_another_connection_is_refused(airbyte, gong_connection, wired):
    sdk, receiver = wired
    other = airbyte.syncs.finished_job("2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182")
    job_id = start_sync(sdk, gong_connection[1])
    [genuine] = airbyte.syncs.wait(job_id)
    assert receiver.post(forged(genuine.body, jobId=other)).status_code == 403
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"]


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.DROPPED, Fault.TIMEOUT, Fault.RATE_LIMITED])
def test_airbyte_unreachable_answers_503_and_the_job_stays_owed(airbyte, gong_connection, wired, fault):
    sdk, receiver = wired
    airbyte.slow_response_s = 3  # past the receiver's 2 s timeout
    airbyte.inject("GET", r"/v1/jobs/\d+", fault)
    job_id = start_sync(sdk, gong_connection[1])
    assert [d.status for d in airbyte.syncs.wait(job_id, timeout_s=10)] == [503]
    assert receiver.executor.statements == []
    assert airbyte.syncs.redeliver(job_id).status == 200
    assert receiver.executor.statements == [f"EXECUTE TASK {GATE_TASK}"]


def test_a_receiver_airbyte_does_not_sign_in_answers_503(airbyte, gong_connection, tokens, loopback_tls):
    jobs = AirbyteJobs(AirbyteAccess(airbyte.url, {"bearer_token": "revoked"}, timeout_s=2))
    job_id = airbyte.syncs.finished_job(gong_connection[1])
    with running_receiver(
        RecordingExecutor(), tokens, {UUID(gong_connection[1]): GATE_TASK}, jobs=jobs
    ) as receiver:
        answer = receiver.post(sync_body(UUID(gong_connection[1]), job_id))
    assert (answer.status_code, answer.json()) == (503, {"error": "Airbyte unavailable; job not triggered"})
    assert receiver.executor.statements == []
