"""Fixtures for the receiver: a recording executor, the receiver served by uvicorn on loopback, its log lines."""

import asyncio
import json
import logging
import secrets
import ssl
import threading
import time
from collections.abc import Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn

from sophia.receiver.airbyte_jobs import JobConfirmer
from sophia.receiver.app import build_app
from sophia.receiver.executors import Executor
from sophia.receiver.ledger import Ledger
from sophia.receiver.logs import JsonLines
from sophia.receiver.serve import server_config
from sophia.receiver.sync_handler import SyncHandler
from sophia.receiver.tokens import Tokens, load_tokens
from tests.airbyte.fake_airbyte_server import FakeAirbyte

LOOPBACK = "127.0.0.1"
GONG_CONNECTION = UUID("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
HUBSPOT_CONNECTION = UUID("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
TRIGGERS = {
    GONG_CONNECTION: "SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE",
    HUBSPOT_CONNECTION: "SOPHIA_AI_DEV.SOPHIA_OPS.HUBSPOT_QUALITY_GATE",
}
MAX_BODY_BYTES = 16 * 1024
AIRBYTE_BEARER = "bearer-of-the-receiver-in-the-cli-tests"
SENDER_LOGGERS = {"httpx", "httpcore"}
T = TypeVar("T")


class RecordingExecutor:
    """Stands in for Snowflake on the trigger path: records each statement, or raises what it is told to.

    fakesnow (DuckDB) cannot run EXECUTE TASK, so no emulator can take this path. What Snowflake does when it
    cannot be reached is tested with the real connector instead (test_snowflake_executor.py).
    """

    def __init__(self, delay_s: float = 0.0) -> None:
        self.statements: list[str] = []
        self.closed = False
        self._failures: list[Exception] = []
        self._delay_s = delay_s
        self._lock = threading.Lock()

    def fail_next(self, *errors: Exception) -> None:
        """The next calls raise these, in order, and record nothing."""
        with self._lock:
            self._failures.extend(errors)

    def execute(self, statement: str) -> None:
        """Records `statement` after the delay (a slow Snowflake widens any race), or raises."""
        time.sleep(self._delay_s)
        with self._lock:
            if self._failures:
                raise self._failures.pop(0)
            self.statements.append(statement)

    def close(self) -> None:
        """Notes the shutdown."""
        self.closed = True


class ConfirmingJobs:
    """Stands in for Airbyte's job API where a test is about the receiver itself: confirms every job and records
    it, or raises what it is told to. The real client is tested against the fake Airbyte (test_airbyte_jobs.py)."""

    def __init__(self) -> None:
        self.asked: list[tuple[UUID, int]] = []
        self._failures: list[Exception] = []
        self._lock = threading.Lock()

    def fail_next(self, *errors: Exception) -> None:
        """The next confirmations raise these, in order."""
        with self._lock:
            self._failures.extend(errors)

    def confirm(self, connection_id: UUID, job_id: int) -> None:
        """Records the question; raises a queued error if any."""
        with self._lock:
            self.asked.append((connection_id, job_id))
            if self._failures:
                raise self._failures.pop(0)

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class Receiver:
    """A receiver served on loopback, and what it was built from."""

    base_url: str
    token: str
    executor: Executor
    ledger: Ledger
    jobs: JobConfirmer
    client: httpx.Client = field(repr=False)

    @property
    def webhook_url(self) -> str:
        """Where Airbyte's webhook points."""
        return f"{self.base_url}/airbyte/{self.token}"

    def post(self, body: Any, token: str | None = None, **kwargs: Any) -> httpx.Response:
        """POSTs `body` as JSON to the webhook route (with another token if given)."""
        return self.client.post(f"{self.base_url}/airbyte/{token or self.token}", json=body, **kwargs)


@contextmanager
def serving(app: Any, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Runs `app` with the command's uvicorn settings on an ephemeral loopback port; yields its base URL."""
    server = uvicorn.Server(server_config(app, LOOPBACK, 0, *(tls or (None, None))))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the receiver did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def running_receiver(
    executor: Executor,
    tokens: Tokens,
    triggers: Mapping[UUID, str] = TRIGGERS,
    ledger: Ledger | None = None,
    tls: tuple[Path, Path] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    jobs: JobConfirmer | None = None,
) -> Iterator[Receiver]:
    """The receiver with this executor and tokens, served until the block ends."""
    ledger = ledger if ledger is not None else Ledger()
    jobs = jobs if jobs is not None else ConfirmingJobs()
    app = build_app(SyncHandler(triggers, executor, ledger, jobs), tokens, max_body_bytes, executor.close)
    with (
        serving(app, tls) as base_url,
        httpx.Client(timeout=30, verify=_trusting(tls)) as client,
    ):
        yield Receiver(base_url, tokens.secrets[0], executor, ledger, jobs, client)


def _trusting(tls: tuple[Path, Path] | None) -> ssl.SSLContext | bool:
    """Verification for the test's own client: the receiver's self-signed certificate when it serves HTTPS."""
    return ssl.create_default_context(cafile=tls[0]) if tls else True


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs `coroutine` on a private event loop. Not asyncio.run: that leaves the main thread with no current
    loop, and the Pulumi mock-engine tests that run later in the session ask for one."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


def new_token() -> str:
    """A token as docs/receiver.md says to make one."""
    return secrets.token_urlsafe(32)


@pytest.fixture
def tokens() -> Tokens:
    """A fresh token per test."""
    return load_tokens({"SOPHIA_HOOKS_TOKENS": new_token()}, None)


@pytest.fixture
def executor() -> RecordingExecutor:
    """A Snowflake stand-in that records statements."""
    return RecordingExecutor()


@pytest.fixture
def receiver(executor: RecordingExecutor, tokens: Tokens) -> Iterator[Receiver]:
    """The receiver on loopback with the recording executor and an in-memory ledger."""
    with running_receiver(executor, tokens) as running:
        yield running


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Every line the receiver side logs during the test, formatted as in production but with no redaction,
    so a secret that reached a log call shows here. The senders' HTTP client (httpx, the test's and the fake
    Airbyte's) logs the URLs it calls; that is the sender's log, not the receiver's, and is left out."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name.partition(".")[0] not in SENDER_LOGGERS:
                lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


def sync_body(connection_id: UUID, job_id: int, success: bool = True, **data: Any) -> dict[str, Any]:
    """A webhook body shaped as Airbyte's (the fake's builder makes the full one; this keeps tests short)."""
    workspace = {"id": str(uuid4()), "name": "sophia", "url": "https://airbyte.example.invalid/workspaces/x"}
    return {
        "text": f"Your connection gong from Gong to Snowflake succeeded\nThis was for null\n\nJob ID: {job_id}",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Sync completed"}}],
        "data": {
            "workspace": workspace,
            "connection": {
                "id": str(connection_id),
                "name": "gong",
                "url": "https://airbyte.example.invalid/c",
            },
            "source": {"id": str(uuid4()), "name": "Gong", "url": "https://airbyte.example.invalid/s"},
            "destination": {
                "id": str(uuid4()),
                "name": "Snowflake",
                "url": "https://airbyte.example.invalid/d",
            },
            "jobId": job_id,
            "startedAt": "2026-01-05T10:00:00Z",
            "finishedAt": "2026-01-05T10:03:20Z",
            "bytesEmitted": 1000,
            "bytesCommitted": 1000,
            "recordsEmitted": 10,
            "recordsCommitted": 10,
            "errorMessage": None,
            "success": success,
            **data,
        },
    }


def log_entries(lines: list[str], logger: str = "sophia.receiver.requests") -> list[dict[str, Any]]:
    """The parsed lines of one logger."""
    return [entry for entry in map(json.loads, lines) if entry["logger"] == logger]


def seed_gong_connection(airbyte: FakeAirbyte) -> tuple[str, str]:
    """(workspace id, connection id) of a Gong -> Snowflake connection stored in the fake Airbyte."""
    workspace_id = airbyte.add_workspace()
    source_id = airbyte.seed(
        "sources",
        {
            "name": "Gong",
            "workspaceId": workspace_id,
            "configuration": {"sourceType": "gong", "access_key": "k", "access_key_secret": "s"},
        },
    )
    snowflake = {
        "destinationType": "snowflake",
        "host": "account.snowflakecomputing.example.invalid",
        **{key: "X" for key in ("role", "warehouse", "database", "schema", "username")},
        "credentials": {"private_key": "fake-private-key-for-tests"},
    }
    destination_id = airbyte.seed(
        "destinations", {"name": "Snowflake", "workspaceId": workspace_id, "configuration": snowflake}
    )
    connection_id = airbyte.seed(
        "connections", {"name": "gong", "sourceId": source_id, "destinationId": destination_id}
    )
    return workspace_id, connection_id


@pytest.fixture
def triggers_file(tmp_path: Path) -> Path:
    """`pulumi stack output --json` of a stack with two sources."""
    path = tmp_path / "outputs.json"
    outputs = {"database": "SOPHIA_AI_DEV", "promotion_triggers": {str(k): v for k, v in TRIGGERS.items()}}
    path.write_text(json.dumps(outputs))
    return path
