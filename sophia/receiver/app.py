"""The receiver as an ASGI app: `POST /airbyte/<token>` with a bounded JSON body, and `GET /healthz`."""

# Whoever lacks the token learns nothing: a wrong token, an unknown path and a redirect-worthy slash all get
# the same short 404. Only a caller holding a token hears why its request was refused (405, 415, 413, 400,
# 422). Airbyte counts any 2xx as delivered (SlackNotificationClient.isSuccessfulHttpResponse) and never
# redelivers (JobNotifier.sendNotification logs a failure and moves on), so 2xx means "nothing more to do"
# and 5xx marks a trigger that did not happen and is still owed.

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from sophia.receiver.airbyte_jobs import AirbyteUnavailable, JobNotConfirmed
from sophia.receiver.executors import SnowflakeUnavailable, StatementRefused
from sophia.receiver.ledger import LedgerError
from sophia.receiver.payload import SyncWebhook
from sophia.receiver.request_log import HEALTH_ROUTE, WEBHOOK_ROUTE, RequestLog, log_fields
from sophia.receiver.sync_handler import SyncHandler
from sophia.receiver.tokens import Tokens

JSON_MEDIA_TYPE = "application/json"
# The methods for which the token is checked first, so a token holder hears 405; any other gets a 404.
TOKEN_FIRST_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


# How each way a trigger can fail is answered: status, the log line's action, the message. 503 and 502 leave
# the job unrecorded, so a later delivery of it triggers it.
_FAILURE_ANSWERS: dict[type[Exception], tuple[int, str, str]] = {
    JobNotConfirmed: (403, "rejected_unconfirmed_job", "Airbyte does not confirm this job"),
    AirbyteUnavailable: (503, "airbyte_unavailable", "Airbyte unavailable; job not triggered"),
    SnowflakeUnavailable: (503, "snowflake_unavailable", "Snowflake unavailable; job not triggered"),
    StatementRefused: (502, "trigger_refused", "Snowflake refused the trigger"),
    LedgerError: (500, "ledger_unwritable", "triggered, but not recorded"),
}
_TRIGGER_FAILURES = tuple(_FAILURE_ANSWERS)


def build_app(
    handler: SyncHandler, tokens: Tokens, max_body_bytes: int, on_shutdown: Callable[[], None]
) -> ASGIApp:
    """The receiver; `on_shutdown` (blocking) releases the Snowflake connection and the Airbyte client."""

    async def receive_webhook(request: Request) -> Response:
        fields = log_fields(request)
        if not tokens.matches(request.path_params["token"]):
            return _error_answer(fields, 404, "rejected_token", "not found")
        if request.method != "POST":
            return _error_answer(fields, 405, "rejected_method", "use POST", {"Allow": "POST"})
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != JSON_MEDIA_TYPE:
            return _error_answer(fields, 415, "rejected_content_type", f"use Content-Type: {JSON_MEDIA_TYPE}")
        try:
            body = await _bounded_body(request, max_body_bytes)
        except ClientDisconnect:
            return _error_answer(fields, 400, "client_disconnected", "body incomplete")
        except ValueError:
            return _error_answer(fields, 400, "rejected_content_length", "bad Content-Length")
        if body is None:
            return _error_answer(fields, 413, "rejected_size", f"body over {max_body_bytes} bytes")
        webhook = _sync_webhook(body, fields)
        if isinstance(webhook, Response):
            return webhook
        fields.update(connection_id=str(webhook.data.connection.id), job_id=webhook.data.job_id)
        try:
            outcome = await handler.handle(webhook.data)
        except _TRIGGER_FAILURES as error:
            status, action, message = next(
                answer for kind, answer in _FAILURE_ANSWERS.items() if isinstance(error, kind)
            )
            fields["error"] = str(error)
            return _error_answer(fields, status, action, message)
        fields.update(action=outcome.action.value, task=outcome.task)
        return JSONResponse({"action": outcome.action.value})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def unrouted(request: Request, exc: Exception) -> Response:
        # Starlette's 405 for a method a route does not list would hint at the route: answer 404 alike.
        return _error_answer(log_fields(request), 404, "unrouted", "not found")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await anyio.to_thread.run_sync(on_shutdown)

    app = Starlette(
        routes=[
            Route(HEALTH_ROUTE, health, methods=["GET"]),
            Route(WEBHOOK_ROUTE, receive_webhook, methods=TOKEN_FIRST_METHODS),
        ],
        exception_handlers={404: unrouted, 405: unrouted},
        lifespan=lifespan,
    )
    # A trailing-slash redirect would tell a stranger that /airbyte/<anything> exists.
    app.router.redirect_slashes = False
    return RequestLog(app)


def _sync_webhook(body: bytes, fields: dict[str, Any]) -> SyncWebhook | Response:
    """The parsed webhook, or the 400 / 422 answer naming what is wrong with it."""
    try:
        return SyncWebhook.model_validate_json(body)
    except ValidationError as error:
        problems = error.errors(include_input=False, include_url=False)
        if any(problem["type"] == "json_invalid" for problem in problems):
            return _error_answer(fields, 400, "rejected_json", "body is not JSON")
        invalid = sorted({".".join(str(part) for part in problem["loc"]) for problem in problems})
        fields["invalid"] = invalid
        return _error_answer(fields, 422, "rejected_payload", f"not an Airbyte sync webhook: {invalid}")


async def _bounded_body(request: Request, limit: int) -> bytes | None:
    """The body, or None once it is known to exceed `limit`: by Content-Length, else while it streams."""
    declared = request.headers.get("content-length")
    if declared is not None and int(declared) > limit:
        return None
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            return None
    return bytes(received)


def _error_answer(
    fields: dict[str, Any], status: int, action: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    """A short error answer; the action goes to the request's log line."""
    fields["action"] = action
    return JSONResponse({"error": message}, status, headers)
