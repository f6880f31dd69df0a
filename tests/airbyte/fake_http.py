"""The fake Airbyte's HTTP side: problem+json errors, injectable faults, and the one-at-a-time server."""

import json
import re
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

LOOPBACK = "127.0.0.1"


class Fault(StrEnum):
    """What can go wrong with one request."""

    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    TIMEOUT = "timeout"  # answers only after the client's timeout, having done the work
    DROPPED = "dropped"  # does the work, then closes the connection without any response


@dataclass
class Injection:
    """A fault waiting for the next request that matches it."""

    method: str
    path: re.Pattern[str]
    fault: Fault


class ApiProblem(Exception):
    """An error the API answers with, as problem+json."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail

    def payload(self) -> dict[str, Any]:
        """The response body the real API sends."""
        return {"type": "https://reference.airbyte.com/reference/errors", "status": self.status, **vars(self)}


class Api(Protocol):
    """What the HTTP side asks of the fake API behind it (FakeAirbyte)."""

    slow_response_s: float
    internal_errors: list[str]

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first injected fault matching this request, consumed."""
        ...

    def handle(
        self, method: str, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Any]:
        """One request against the in-memory state: the status and the JSON to answer with."""
        ...


class Server(HTTPServer):
    """A single-threaded server: requests are handled in arrival order, as the fault tests rely on."""

    airbyte: Api


class Handler(BaseHTTPRequestHandler):
    """HTTP plumbing and fault injection; the API itself lives in FakeAirbyte."""

    server: Server

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        airbyte = self.server.airbyte
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        fault = airbyte.take_fault(self.command, url.path)
        if fault is Fault.RATE_LIMITED:
            problem = ApiProblem(429, "rate-limited", "Too many requests")
            return self._reply(429, problem.payload(), {"Retry-After": "0"})
        if fault is Fault.SERVER_ERROR:
            # Echoes the request, secrets included, so tests prove the client never logs bodies.
            return self._reply(500, {"title": "internal-error", "detail": f"failed on {body.decode()}"})
        if fault is Fault.TIMEOUT:
            time.sleep(airbyte.slow_response_s)
        try:
            status, payload = airbyte.handle(self.command, url.path, parse_qs(url.query), self.headers, body)
        except Exception:
            airbyte.internal_errors.append(traceback.format_exc())
            return self._reply(500, {"title": "fake-server-bug"})
        if fault is Fault.DROPPED:
            self.close_connection = True  # the change is committed; the client never hears of it
            return None
        return self._reply(status, payload)

    def _reply(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the client gave up waiting (a timeout fault)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `FakeAirbyte.requests` instead."""
