"""One structured log line per request: route (never the token), status, job, action and duration."""

import logging
import time
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("sophia.hooks.requests")
_FIELDS = "sophia.hooks.log_fields"
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
    """ASGI middleware writing the line after the response, including for requests that crashed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        fields = scope.setdefault(_FIELDS, {})

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            line = {
                "method": scope["method"],
                "path": route_of(scope["path"]),
                "status": status,
                "duration_ms": round(1000 * (time.perf_counter() - started), 2),
                **fields,
            }
            log.info("request", extra={"fields": line})
