"""1,000 Airbyte webhooks from 20 concurrent senders against the receiver on loopback: exactly once, none lost.

Run: `.venv/bin/python -m bench.receiver_bench` (well under a minute). The receiver runs as `sophia receiver serve`
does (uvicorn settings, JSON request log, ledger file with fsync) in a process of its own, on 127.0.0.1
only; Snowflake is the real executor over a simulated connection that answers EXECUTE TASK after a fixed
latency, so the single shared connection is in the measurement. Bounded in count (1,000 requests per run)
and time (every run is cancelled after TIME_LIMIT_S). Exits 1 if any job triggered other than exactly once.
"""

import asyncio
import json
import logging
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from rich.console import Console
from rich.table import Table

from catalog.sql_files import render_sql
from sophia.receiver.app import build_app
from sophia.receiver.ledger import Ledger
from sophia.receiver.logs import JsonLines
from sophia.receiver.serve import server_config
from sophia.receiver.snowflake_executor import SnowflakeExecutor, SnowflakeSettings
from sophia.receiver.sync_handler import SyncHandler
from sophia.receiver.tokens import TOKENS_ENV, load_tokens

LOOPBACK = "127.0.0.1"
REQUESTS = 1000
SENDERS = 20
CONNECTIONS = 5
# Of the 1,000: every third-party delivery pattern the receiver meets.
DUPLICATES, FAILED_SYNCS, UNKNOWN_CONNECTIONS = 150, 50, 50
SNOWFLAKE_LATENCIES_S = (0.0, 0.01)
TIME_LIMIT_S = 120
SEED = 20260105


class SimulatedAirbyteJobs:
    """Airbyte's job API for the benchmark: every job is a succeeded sync, answered at once (the floor)."""

    def confirm(self, connection_id: UUID, job_id: int) -> None:
        """Confirms the job."""

    def close(self) -> None:
        """Nothing to release."""


class SimulatedSnowflake:
    """`snowflake.connector.connect` for the benchmark: EXECUTE TASK takes `latency_s` and is counted."""

    def __init__(self, latency_s: float) -> None:
        self.latency_s = latency_s
        self.executed: Counter[str] = Counter()
        self.sign_ins = 0
        self._lock = threading.Lock()

    def __call__(self, **kwargs: Any) -> "SimulatedSnowflake":
        self.sign_ins += 1
        return self

    def cursor(self) -> "SimulatedSnowflake":
        return self

    def __enter__(self) -> "SimulatedSnowflake":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def execute(self, statement: str) -> None:
        time.sleep(self.latency_s)
        with self._lock:
            self.executed[statement] += 1

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Answer:
    """One webhook's answer as the sender saw it."""

    status: int
    action: str
    seconds: float


def workload(triggers: dict[UUID, str]) -> tuple[list[dict[str, Any]], set[tuple[UUID, int]]]:
    """1,000 bodies in delivery order, and the successful jobs of known connections among them."""
    rng = random.Random(SEED)
    connections = list(triggers)
    unique = REQUESTS - DUPLICATES - FAILED_SYNCS - UNKNOWN_CONNECTIONS
    jobs = [(connections[n % CONNECTIONS], 10_000 + n) for n in range(unique)]
    bodies = [_body(connection, job, True) for connection, job in jobs]
    bodies += [_body(*rng.choice(jobs), True) for _ in range(DUPLICATES)]
    bodies += [_body(rng.choice(connections), 50_000 + n, False) for n in range(FAILED_SYNCS)]
    bodies += [_body(uuid4(), 60_000 + n, True) for n in range(UNKNOWN_CONNECTIONS)]
    rng.shuffle(bodies)
    return bodies, set(jobs)


def _body(connection: UUID, job_id: int, success: bool) -> dict[str, Any]:
    link = {"name": "x", "url": "https://airbyte.example.invalid/x"}
    return {
        "text": f"Your connection x from X to Snowflake succeeded\nThis was for null\n\nJob ID: {job_id}",
        "blocks": [],
        "data": {
            "workspace": {"id": str(uuid4()), **link},
            "connection": {"id": str(connection), **link},
            "source": {"id": str(uuid4()), **link},
            "destination": {"id": str(uuid4()), **link},
            "jobId": job_id,
            "startedAt": "2026-01-05T10:00:00Z",
            "finishedAt": "2026-01-05T10:03:20Z",
            "recordsCommitted": 10,
            "errorMessage": None,
            "success": success,
        },
    }


async def send_all(url: str, bodies: list[dict[str, Any]]) -> list[Answer]:
    """SENDERS concurrent senders drain the bodies in order; each send is timed as the sender sees it."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    answers: list[Answer] = []
    limits = httpx.Limits(max_connections=SENDERS, max_keepalive_connections=SENDERS)

    async def sender(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(url, json=body)
            answers.append(
                Answer(response.status_code, response.json().get("action", ""), time.perf_counter() - started)
            )

    async with httpx.AsyncClient(timeout=10, limits=limits) as client:
        await asyncio.wait_for(asyncio.gather(*(sender(client) for _ in range(SENDERS))), TIME_LIMIT_S)
    return answers


def receiver_process(
    latency_s: float, triggers: dict[UUID, str], token: str, folder: Path, ready: Any, stop: Any, results: Any
) -> None:
    """The receiver in its own process, so its CPU is not the senders': serves until `stop`, then reports."""
    snowflake = SimulatedSnowflake(latency_s)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    executor = SnowflakeExecutor(SnowflakeSettings("bench-account", "U", "R", key), connect=snowflake)
    tokens = load_tokens({TOKENS_ENV: token}, None)
    app = build_app(
        SyncHandler(triggers, executor, Ledger(folder / "ledger.jsonl"), SimulatedAirbyteJobs()),
        tokens,
        64 * 1024,
        executor.close,
    )
    handler = logging.FileHandler(folder / "requests.jsonl")
    handler.setFormatter(JsonLines(tokens.secrets))
    logging.getLogger("sophia.receiver").addHandler(handler)
    logging.getLogger("sophia.receiver").setLevel(logging.INFO)
    server = uvicorn.Server(server_config(app, LOOPBACK, 0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    ready.put(server.servers[0].sockets[0].getsockname()[1])
    stop.wait(TIME_LIMIT_S)
    server.should_exit = True
    thread.join(10)
    handler.close()
    results.put({"executed": dict(snowflake.executed), "sign_ins": snowflake.sign_ins})


def run(latency_s: float, folder: Path) -> dict[str, Any]:
    """One run of 1,000 webhooks at this Snowflake latency; the figures and the exactly-once check."""
    triggers = {uuid4(): f"SOPHIA_AI_DEV.SOPHIA_OPS.SOURCE_{n}_QUALITY_GATE" for n in range(CONNECTIONS)}
    token = "bench-token-" + "0123456789abcdef" * 2
    context = multiprocessing.get_context("spawn")
    ready, results, stop = context.Queue(), context.Queue(), context.Event()
    child = context.Process(
        target=receiver_process, args=(latency_s, triggers, token, folder, ready, stop, results), daemon=True
    )
    child.start()
    try:
        port = ready.get(timeout=60)
        bodies, jobs = workload(triggers)
        started = time.perf_counter()
        answers = asyncio.run(send_all(f"http://{LOOPBACK}:{port}/airbyte/{token}", bodies))
        elapsed = time.perf_counter() - started
        stop.set()
        reported = results.get(timeout=60)
    finally:
        stop.set()
        child.join(30)
        if child.is_alive():
            child.kill()

    statements = {
        connection: render_sql("receiver/execute_task.sql", task=task)
        for connection, task in triggers.items()
    }
    per_statement = Counter(statements[connection] for connection, _ in jobs)
    actions = Counter(answer.action for answer in answers)
    logged = [json.loads(line) for line in (folder / "requests.jsonl").read_text().splitlines()]
    ledger_lines = (folder / "ledger.jsonl").read_text().splitlines()
    recorded = {(UUID(e["connection_id"]), e["job_id"]) for e in map(json.loads, ledger_lines)}
    checks = {
        "every webhook answered 200": len(answers) == REQUESTS and all(a.status == 200 for a in answers),
        "each job's task executed exactly once": Counter(reported["executed"]) == per_statement,
        "triggered answers = jobs": actions["triggered"] == len(jobs),
        "ledger holds each job once": recorded == jobs and len(ledger_lines) == len(jobs),
        "one log line per request": sum(1 for e in logged if e["event"] == "request") == REQUESTS,
    }
    latencies = statistics.quantiles([1000 * a.seconds for a in answers], n=100)
    handled = statistics.quantiles([e["duration_ms"] for e in logged if e["event"] == "request"], n=100)
    return {
        "latency_s": latency_s,
        "seconds": elapsed,
        "throughput": REQUESTS / elapsed,
        "p50_ms": latencies[49],
        "p99_ms": latencies[98],
        "server_p50_ms": handled[49],
        "server_p99_ms": handled[98],
        "actions": actions,
        "jobs": len(jobs),
        "executed": sum(reported["executed"].values()),
        "sign_ins": reported["sign_ins"],
        "checks": checks,
    }


def main() -> int:
    """Runs each latency once, prints the table and every check; 1 if any check failed."""
    console = Console(width=120)
    table = Table(title=f"{REQUESTS} webhooks, {SENDERS} concurrent senders, loopback (one run each)")
    columns = (
        "Snowflake latency",
        "s",
        "webhooks/s",
        "p50 ms",
        "p99 ms",
        "in app p50",
        "in app p99",
        "executed",
    )
    for column in columns:
        table.add_column(column, justify="right")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for latency_s in SNOWFLAKE_LATENCIES_S:
            run_folder = Path(folder) / f"{1000 * latency_s:.0f}ms"
            run_folder.mkdir()
            result = run(latency_s, run_folder)
            results.append(result)
            answers = ", ".join(f"{action} {count}" for action, count in sorted(result["actions"].items()))
            table.add_row(
                f"{1000 * latency_s:.0f} ms",
                f"{result['seconds']:.2f}",
                f"{result['throughput']:.0f}",
                f"{result['p50_ms']:.1f}",
                f"{result['p99_ms']:.1f}",
                f"{result['server_p50_ms']:.1f}",
                f"{result['server_p99_ms']:.1f}",
                f"{result['executed']} of {result['jobs']} jobs",
            )
            console.print(f"{1000 * latency_s:.0f} ms answers: {answers}")
    console.print(table)
    failed = False
    for result in results:
        for check, passed in result["checks"].items():
            failed |= not passed
            console.print(f"{1000 * result['latency_s']:.0f} ms: {'ok  ' if passed else 'FAIL'} {check}")
        console.print(f"{1000 * result['latency_s']:.0f} ms: Snowflake sign-ins: {result['sign_ins']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
