"""What an Airbyte API failure means here: retry it, the object is gone, or Airbyte refused with a reason."""

import json

import httpx
from airbyte_api import errors


class AirbyteError(Exception):
    """An Airbyte call that failed for good; messages carry no request body, only the API's explanation."""


class AirbyteApiError(AirbyteError):
    """Airbyte refused a request (a 4xx): the HTTP status and the API's own message."""

    def __init__(self, operation: str, status: int, detail: str) -> None:
        super().__init__(f"{operation}: HTTP {status} from Airbyte: {detail}")
        self.status = status
        self.detail = detail


class NotFoundError(AirbyteApiError):
    """The object is not (or no longer) in Airbyte."""


class TransientError(Exception):
    """A failure worth retrying: rate limit, server error, timeout or lost connection."""

    def __init__(self, reason: str, retry_after_s: float = 0.0) -> None:
        super().__init__(reason)
        self.retry_after_s = retry_after_s


def classify(operation: str, error: errors.SDKError) -> Exception:
    """An HTTP error status as what it means here: retry, gone, or refused with the API's message."""
    status = error.status_code
    if status == 429 or status >= 500:
        return TransientError(f"HTTP {status}", _retry_after(error.headers))
    if status == 404:
        return NotFoundError(operation, status, _detail(error.body))
    return AirbyteApiError(operation, status, _detail(error.body))


def _retry_after(headers: httpx.Headers) -> float:
    """Seconds the server asked us to wait, when it said so in seconds."""
    try:
        return max(0.0, float(headers.get("retry-after", "0")))
    except ValueError:
        return 0.0


def _detail(body: str) -> str:
    """The API's explanation from an error body: problem+json `detail`, else `message`/`title`, else the text."""
    try:
        problem = json.loads(body)
    except ValueError:
        problem = None
    if isinstance(problem, dict):
        for key in ("detail", "message", "title"):
            if problem.get(key):
                return str(problem[key])
    return body.strip() or "(no message)"
