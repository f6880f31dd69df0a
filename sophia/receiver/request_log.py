"""One structured log line per request: route (never the token), status, job, action and duration."""

import logging
import time
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("sophia.receiver.requests")
_FIELDS = "sophia.receiver.log_fields"
WEBHOOK_ROUTE = "/airbyte/{token}"
HEALTH_ROUTE = "/healthz"


def log_fields(request: Request) -> dict[str, Any]:
    """The fields a handler adds to its request's log line (connection, job, action, ...)."""
    return request.scope.setdefault(_FIELDS, {})


def route_of(path: str) -> str:
    """The path as logged: the webhook route with its token replaced, other paths not at all."""
    if path.startswith("/airbyte/"):
        return WEBHOOK_ROUTE
    return HEALTH_ROUTE if path == HEALTH_ROUTE else "(unrouted)"


class RequestLog:
    """ASGI middleware writing the line as the response completes, and for requests that crashed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        fields = scope.setdefault(_FIELDS, {})
        status: int | None = None
        written = False

        def write_line(final_status: int) -> None:
            nonlocal written
            written = True
            line = {
                "method": scope["method"],
                "path": route_of(scope["path"]),
                "status": final_status,
                "duration_ms": round(1000 * (time.perf_counter() - started), 2),
                **fields,
            }
            log.info("request", extra={"fields": line})

        async def send_after_logging(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                write_line(status or 500)  # before the client can see the end of the response
            await send(message)

        try:
            await self.app(scope, receive, send_after_logging)
        finally:
            if not written:
                write_line(500)  # crashed before answering; Starlette's error middleware answers 500
