"""The Airbyte client's terms that a plan needs without the SDK: errors, retry policy, API access, collections.

The dynamic provider is declared in every plan with Airbyte sources, but the SDK (and httpx, which brings
its command line: click, pygments) is needed only when a request is made: `components/airbyte/client.py`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airbyte_api import models


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

    def security(self) -> "models.Security":
        """The SDK's Security model for these credentials."""
        from stack.airbyte.sdk_security import (
            sdk_security,  # the SDK (and httpx) load only where a request is made
        )

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
