"""One Pulumi dynamic provider for every Airbyte object kind: create, read, update, delete and diff."""

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult
from pulumi.dynamic.dynamic import PROVIDER_KEY

from components.airbyte.client import DEFAULT_RETRY, AirbyteClient, ApiAccess, RetryPolicy
from components.airbyte.errors import AirbyteError
from components.airbyte.kinds import (
    API_CREDENTIALS,
    API_URL,
    CONFIGURATION,
    JSON_PROPERTIES,
    SECRET_CONFIGURATION,
    Desired,
    ObjectKind,
    secret_values,
)
from models.json_values import canonical_json, changed_paths, redact, unmasked

_log = logging.getLogger(__name__)
_MESSAGE_LIMIT = 2000


class AirbyteProviderError(Exception):
    """A provider call that failed; its message names the object and never holds a secret."""


class AirbyteDiff(DiffResult):
    """A DiffResult that also lists every changed property path (the engine reads only changes and replaces)."""

    def __init__(self, changed: list[str], replaces: list[str]) -> None:
        # Objects are found by name, so a replacement must delete the old one before creating its successor.
        super().__init__(changes=bool(changed), replaces=replaces, delete_before_replace=bool(replaces))
        self.changed = changed


class AirbyteProvider(ResourceProvider):
    """CRUD and diff for one Airbyte object kind; holds no secret, since Pulumi stores it in state."""

    def __init__(
        self,
        kind: ObjectKind,
        retry: RetryPolicy = DEFAULT_RETRY,
        timeout_s: float = 30.0,
        page_size: int = 100,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.retry = retry
        self.timeout_s = timeout_s
        self.page_size = page_size

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Creates the object, or adopts the one a lost earlier attempt created."""
        with self._session("create", props) as (client, desired):
            response = self.kind.create(client, desired)
            object_id = self.kind.object_id(response)
            return CreateResult(object_id, self._outputs(desired, response, object_id))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The object as Airbyte has it now; an empty id when it is gone, so refresh shows the drift."""
        with self._session("read", props) as (client, desired):
            response = self.kind.read(client, id_)
            if response is None:
                _log.warning("Airbyte %s (%s) no longer exists", self.kind.describe(props), id_)
                return ReadResult("", {})
            return ReadResult(id_, self._outputs(desired, response, id_))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Patches the object in place."""
        with self._session("update", news, olds) as (client, desired):
            return UpdateResult(self._outputs(desired, self.kind.update(client, id_, desired), id_))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Deletes the object; one already gone counts as deleted."""
        with self._session("delete", props) as (client, desired):
            self.kind.delete(client, id_, desired)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> AirbyteDiff:
        """Compares the stored outputs with the new inputs, leaf by leaf inside configurations."""
        changed = [
            path
            for name in self.kind.inputs
            for path in changed_paths(_decoded(name, olds.get(name)), _decoded(name, news.get(name)), name)
        ]
        # A changed (or still unknown) parent of a replace-only path counts: its value may have changed.
        replaces = sorted(
            {
                path.split(".")[0]
                for path in changed
                if any(fixed == path or fixed.startswith(f"{path}.") for fixed in self.kind.replace_on)
            }
        )
        return AirbyteDiff(changed, replaces)

    @contextmanager
    def _session(
        self, action: str, props: Mapping[str, Any], previous: Mapping[str, Any] | None = None
    ) -> Iterator[tuple[AirbyteClient, Desired]]:
        """A client for one provider call; any failure leaves as one AirbyteProviderError with secrets redacted."""
        # The previous properties' secrets too: Airbyte may still hold them, and quote them back.
        secrets = secret_values(props) + secret_values(previous or {})
        try:
            desired = Desired.of(props)
            access = ApiAccess(props[API_URL], props[API_CREDENTIALS], self.timeout_s)
            with AirbyteClient(access, self.retry, self.page_size) as client:
                yield client, desired
        except Exception as error:
            cause = str(error) if isinstance(error, AirbyteError) else f"{type(error).__name__}: {error}"
            message = f"Airbyte {action} of {self.kind.describe(props)} failed: {cause}"
            # `from None`: Pulumi prints the whole traceback, and a chained SDK error could quote a request.
            # Cut only after redacting, so no secret is left half-cut and unrecognisable.
            raise AirbyteProviderError(redact(message, secrets)[:_MESSAGE_LIMIT]) from None

    def _outputs(self, desired: Desired, response: Mapping[str, Any], object_id: str) -> dict[str, Any]:
        """The properties Pulumi stores: the inputs, overlaid with what Airbyte reports."""
        live = self.kind.live(response)
        live_configuration = live.pop(CONFIGURATION)
        return {
            **{name: value for name, value in desired.props.items() if name != PROVIDER_KEY},
            **live,
            self.kind.id_output: object_id,
            CONFIGURATION: canonical_json(self.kind.tracked(live_configuration, desired.configuration)),
            SECRET_CONFIGURATION: canonical_json(unmasked(desired.secrets, live_configuration)),
        }


def _decoded(name: str, value: Any) -> Any:
    """A configuration property parsed from its JSON string, so the diff can name the changed keys."""
    if name in JSON_PROPERTIES and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value  # an unknown value during preview
    return value
