"""`sophia receiver serve` as a real process: it serves, answers, logs JSON lines and stops on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from sophia.receiver.airbyte_env import AIRBYTE_TOKEN_ENV
from sophia.receiver.tokens import TOKENS_ENV
from tests.airbyte.fake_airbyte_server import FakeAirbyte
from tests.receiver.conftest import AIRBYTE_BEARER, GONG_CONNECTION, LOOPBACK, TRIGGERS, new_token, sync_body

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@contextmanager
def receiver_process(
    argv: list[str], token: str, environ: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m sophia receiver serve ...` as a real process; stopped with SIGTERM as a container runtime does."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sophia", "receiver", "serve", *argv, "--port", str(port)],
        cwd=REPO,
        env={**os.environ, TOKENS_ENV: token, **(environ or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"receiver did not start: {process.communicate()}")
        time.sleep(0.1)
    try:
        yield base_url, process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_the_command_serves_a_dry_run_and_logs_the_statement_it_would_run(triggers_file):
    token = new_token()
    with FakeAirbyte(bearer_token=AIRBYTE_BEARER) as airbyte:
        job_id = airbyte.syncs.finished_job(str(GONG_CONNECTION))
        argv = ["--triggers", str(triggers_file), "--airbyte-url", airbyte.url, "--dry-run"]
        with receiver_process(argv, token, {AIRBYTE_TOKEN_ENV: AIRBYTE_BEARER}) as (base_url, process):
            answers = [
                httpx.post(f"{base_url}/airbyte/{token}", json=sync_body(GONG_CONNECTION, job), timeout=10)
                for job in (job_id, job_id, job_id + 1)
            ]
    assert [answer.json() for answer in answers[:2]] == [{"action": "triggered"}, {"action": "duplicate"}]
    assert answers[2].status_code == 403
    output, errors = process.communicate()
    lines = [json.loads(line) for line in output.splitlines()]
    # A graceful shutdown, after which uvicorn re-raises SIGTERM so the exit status says what stopped it.
    assert "Application shutdown complete." in [line["event"] for line in lines]
    assert process.returncode == -signal.SIGTERM
    dry_runs = [line for line in lines if line["event"] == "dry run: not executed"]
    assert [line["statement"] for line in dry_runs] == [f"EXECUTE TASK {TRIGGERS[GONG_CONNECTION]}"]
    requests = [line for line in lines if line["event"] == "request" and line["path"] == "/airbyte/{token}"]
    assert [line["action"] for line in requests] == ["triggered", "duplicate", "rejected_unconfirmed_job"]
    assert requests[2]["error"] == f"Airbyte knows no job {job_id + 1}"
    assert token not in output + errors
    assert AIRBYTE_BEARER not in output + errors
