"""Retrying, idempotent access to the Airbyte public API through the official `airbyte-api` SDK."""

import json
import logging
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, partial
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from airbyte_api import AirbyteAPI, errors, models
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from components.airbyte.errors import AirbyteError, NotFoundError, TransientError, classify
from components.airbyte.raw_json import RawJson
from stack.airbyte.sdk_security import sdk_security

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry 429s, 5xx and timeouts; tests shrink the waits through this, not by patching."""

    attempts: int = 6
    initial_wait_s: float = 1.0
    max_wait_s: float = 30.0


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class ApiAccess:
    """Where the Airbyte API is and how to sign in: a bearer token, or an application's client id and secret."""

    url: str
    credentials: Mapping[str, str]
    timeout_s: float = 30.0

    def security(self) -> models.Security:
        """The SDK's Security model for these credentials."""
        security = sdk_security(self.url, self.credentials)
        if security is None:
            raise AirbyteError(
                "Airbyte API credentials must hold bearer_token, or client_id and client_secret; "
                f"got keys {sorted(self.credentials)}"
            )
        return security


class Collection(StrEnum):
    """Airbyte object collections, by API path; the SDK names its methods after them (get_source, ...)."""

    SOURCES = "sources"
    DESTINATIONS = "destinations"
    CONNECTIONS = "connections"

    @property
    def singular(self) -> str:
        """`source`, as in the SDK's `get_source`."""
        return self.value.removesuffix("s")

    @property
    def id_key(self) -> str:
        """`sourceId`, as in the API's JSON."""
        return f"{self.singular}Id"

    @property
    def configuration_is_union(self) -> bool:
        """Whether the SDK types this collection's configuration as its union of every connector's model."""
        # That union cannot validate HubSpot, Slack or Notion configurations and takes seconds to import,
        # so sources and destinations travel as raw JSON both ways.
        return self is not Collection.CONNECTIONS


@cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process: each new one reloads the CA bundle, about 80 ms a time."""
    return httpx.create_ssl_context()


_RAW_METHODS = {"get": "GET", "list": "GET", "create": "POST", "patch": "PATCH", "delete": "DELETE"}


class AirbyteClient:
    """One Airbyte API session: calls retried on 429, 5xx and timeouts; creates never duplicate an object."""

    def __init__(self, access: ApiAccess, retry: RetryPolicy = DEFAULT_RETRY, page_size: int = 100) -> None:
        security = access.security()
        self._http = httpx.Client(follow_redirects=True, verify=_tls_context())
        # No debug logger is passed on purpose: the SDK's logs request headers and bodies, secrets included.
        self._sdk = AirbyteAPI(
            security=security,
            server_url=access.url,
            timeout_ms=round(access.timeout_s * 1000),
            client=self._http,
            async_client=httpx.AsyncClient(verify=_tls_context()),  # unused, but else the SDK builds its own
        )
        self._raw = RawJson(self._sdk)
        self._retry = retry
        self._backoff = wait_exponential_jitter(
            multiplier=retry.initial_wait_s, max=retry.max_wait_s, jitter=retry.initial_wait_s
        )
        self._page_size = page_size

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.close()

    def get(self, collection: Collection, object_id: str) -> dict[str, Any] | None:
        """The object as the API reports it, or None once it is gone."""
        try:
            return self._exchange(f"GET /{collection}/{object_id}", self._call(collection, "get", object_id))
        except NotFoundError:
            return None

    def create_or_adopt(
        self, collection: Collection, workspace_id: str, name: str, body: Mapping[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        """Creates the object unless one of that name exists, and says which happened (adopted: True)."""

        # Every attempt looks the name up first, so a create whose response was lost is adopted, not repeated.
        def attempt() -> tuple[dict[str, Any], bool]:
            existing = self._find_once(collection, workspace_id, name)
            if existing is not None:
                return existing, True
            return self._request(f"POST /{collection}", self._call(collection, "create", body=body)), False

        return self._retrying(f"POST /{collection}", attempt)

    def patch(self, collection: Collection, object_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Patches the object in place; retrying is safe because a patch is idempotent."""
        call = self._call(collection, "patch", object_id, body=body)
        return self._exchange(f"PATCH /{collection}/{object_id}", call)

    def delete(self, collection: Collection, object_id: str) -> None:
        """Deletes the object; one already gone (say, by a retry whose first response was lost) is fine."""
        try:
            self._exchange(f"DELETE /{collection}/{object_id}", self._call(collection, "delete", object_id))
        except NotFoundError:
            _log.info("Airbyte %s %s was already deleted", collection.singular, object_id)

    def get_workspace(self, workspace_id: str) -> dict[str, Any] | None:
        """The workspace, notifications included, or None if it does not exist."""
        call = partial(self._sdk.workspaces.get_workspace, request={"workspace_id": workspace_id})
        try:
            return self._exchange(f"GET /workspaces/{workspace_id}", call)
        except NotFoundError:
            return None

    def update_workspace(self, workspace_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Patches workspace settings such as notifications."""
        call = partial(
            self._sdk.workspaces.update_workspace,
            request={"workspace_id": workspace_id, "workspace_update_request": body},
        )
        return self._exchange(f"PATCH /workspaces/{workspace_id}", call)

    def _call(
        self,
        collection: Collection,
        action: str,
        object_id: str = "",
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> Callable[[], Any]:
        """One request, not yet sent: raw JSON for connector collections, the SDK's typed method otherwise."""
        if collection.configuration_is_union:
            path = f"/{collection}" + (f"/{quote(object_id, safe='')}" if object_id else "")
            operation_id = f"{action}{collection.singular.title()}"
            return partial(self._raw.send, operation_id, _RAW_METHODS[action], path, body, query)
        connections = self._sdk.connections
        id_request = {"connection_id": object_id}
        return {
            "get": partial(connections.get_connection, request=id_request),
            "list": partial(connections.list_connections, request=query),
            "create": partial(connections.create_connection, request=body),
            "patch": partial(
                connections.patch_connection, request={**id_request, "connection_patch_request": body}
            ),
            "delete": partial(connections.delete_connection, request=id_request),
        }[action]

    def _find_once(self, collection: Collection, workspace_id: str, name: str) -> dict[str, Any] | None:
        """One pass over the workspace's objects, page by page, looking for `name`."""
        matches, offset = [], 0
        while True:
            query = {"workspaceIds": [workspace_id], "limit": self._page_size, "offset": offset}
            page = self._request(f"GET /{collection}", self._call(collection, "list", query=query))
            matches += [item for item in page["data"] if item.get("name") == name]
            if not page["data"] or not page.get("next"):
                break
            offset += self._page_size
        if len(matches) > 1:
            ids = ", ".join(item[collection.id_key] for item in matches)
            raise AirbyteError(
                f"{len(matches)} {collection} are named {name!r} in workspace {workspace_id} ({ids}); "
                "delete all but one in Airbyte, then run again"
            )
        return matches[0] if matches else None

    def _exchange(self, operation: str, call: Callable[[], Any]) -> Any:
        """One idempotent request, retried: safe because repeating it changes nothing more."""
        return self._retrying(operation, partial(self._request, operation, call))

    def _retrying(self, operation: str, attempt: Callable[[], _T]) -> _T:
        """`attempt` until it succeeds, fails for good, or the retry budget is spent."""
        retrying = Retrying(
            stop=stop_after_attempt(self._retry.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(TransientError),
            before_sleep=partial(self._log_retry, operation),
            reraise=True,
        )
        try:
            return retrying(attempt)
        except TransientError as error:
            raise AirbyteError(
                f"{operation}: still failing after {self._retry.attempts} attempts (last: {error})"
            ) from None

    def _request(self, operation: str, call: Callable[[], Any]) -> Any:
        """One HTTP exchange, its JSON read raw (typed models reject some valid responses), its failure sorted."""
        try:
            result = call()
        except errors.ResponseValidationError as error:
            return json.loads(error.body)
        except errors.SDKError as error:
            raise classify(operation, error) from None
        except (httpx.TransportError, errors.NoResponseError) as error:
            raise TransientError(type(error).__name__) from None
        response = result if isinstance(result, httpx.Response) else result.raw_response
        return response.json() if response.content else None

    def _wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter, stretched to the server's Retry-After when it asks for longer."""
        error = state.outcome.exception() if state.outcome else None
        asked = error.retry_after_s if isinstance(error, TransientError) else 0.0
        return min(self._retry.max_wait_s, max(self._backoff(state), asked))

    def _log_retry(self, operation: str, state: RetryCallState) -> None:
        """One warning per retry: what failed and how (status or error type), never a body."""
        error = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        _log.warning(
            "Airbyte %s failed (%s); retry %d of %d in %.2fs",
            operation,
            error,
            state.attempt_number,
            self._retry.attempts - 1,
            wait,
        )
