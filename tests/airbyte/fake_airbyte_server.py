"""A small stateful stand-in for the Airbyte public API v1, on loopback only, with faults injectable per request."""

# What it answers, and the airbyte-platform source each answer follows, is split by concern: connectors
# (fake_connectors.py), connections (fake_connections.py), workspaces (fake_workspaces.py), jobs
# (sync_webhooks.py) and the HTTP side with its faults (fake_http.py). This module routes and keeps the state.

import json
import re
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any, Self
from urllib.parse import parse_qs, urlencode

from models.json_values import deep_merge
from tests.airbyte.fake_connections import connection_fields, new_connection, public_connection
from tests.airbyte.fake_connectors import (
    DEFINITION_IDS,
    check_connector,
    connector_named,
    connector_of,
    public_connector,
    saved_configuration,
)
from tests.airbyte.fake_http import LOOPBACK, ApiProblem, Fault, Handler, Injection, Server
from tests.airbyte.fake_workspaces import NOTIFICATION_EVENTS as NOTIFICATION_EVENTS  # re-exported for tests
from tests.airbyte.fake_workspaces import new_workspace, patch_workspace
from tests.airbyte.sync_webhooks import SyncRuns

API_PREFIX = "/v1"
MAX_PAGE = 100


class FakeAirbyte:
    """In-memory Airbyte: workspaces, sources, destinations, connections; serves one request at a time."""

    def __init__(
        self,
        *,
        bearer_token: str = "test-bearer-token",
        client_id: str = "test-client-id",
        client_secret: str = "test-client-secret",
        slow_response_s: float = 0.4,
    ) -> None:
        self.workspaces: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.destinations: dict[str, dict[str, Any]] = {}
        self.connections: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.internal_errors: list[str] = []
        self.slow_response_s = slow_response_s
        self._client = (client_id, client_secret)
        self._tokens = {bearer_token}
        self._faults: list[Injection] = []
        self._lock = threading.RLock()
        self._server = Server((LOOPBACK, 0), Handler)
        self._server.airbyte = self
        self.syncs = SyncRuns(
            lambda collection, object_id: getattr(self, collection)[object_id],
            self._lock,
            self.url.removesuffix(API_PREFIX),
        )
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def address(self) -> tuple[str, int]:
        """Where the server listens."""
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The API base URL, as the SDK's server_url."""
        host, port = self.address
        return f"http://{host}:{port}{API_PREFIX}"

    def inject(self, method: str, path_pattern: str, fault: Fault, times: int = 1) -> None:
        """Makes the next `times` requests matching METHOD and a full-match path regex fail with `fault`."""
        with self._lock:
            self._faults += [Injection(method, re.compile(path_pattern), fault)] * times

    @property
    def pending_faults(self) -> int:
        """Injected faults no request has met yet."""
        with self._lock:
            return len(self._faults)

    def add_workspace(self, name: str = "sophia") -> str:
        """A workspace with Airbyte's default notifications: e-mails on every event but success, no webhook."""
        workspace_id = str(uuid.uuid4())
        with self._lock:
            self.workspaces[workspace_id] = new_workspace(workspace_id, name)
        return workspace_id

    def seed(self, collection: str, body: dict[str, Any]) -> str:
        """Creates an object directly, as someone working outside Pulumi would; returns its id."""
        with self._lock:
            created = self._create(collection, body)
        return created[f"{collection.removesuffix('s')}Id"]

    def named(self, collection: str, name: str) -> list[dict[str, Any]]:
        """Every stored object of that name in a collection, secrets unmasked."""
        with self._lock:
            return [item for item in getattr(self, collection).values() if item["name"] == name]

    def connector_type(self, collection: str, object_id: str) -> str:
        """The type the API reports beside a stored source's or destination's configuration."""
        with self._lock:
            return connector_of(collection, getattr(self, collection)[object_id])

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first injected fault matching this request, consumed."""
        with self._lock:
            for injection in self._faults:
                if injection.method == method and injection.path.fullmatch(path):
                    self._faults.remove(injection)
                    return injection.fault
        return None

    def handle(
        self, method: str, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Any]:
        """One request against the in-memory state: the status and the JSON to answer with."""
        with self._lock:
            self.requests.append((method, path))
            try:
                return self._route(method, path.removeprefix(API_PREFIX), query, headers, body)
            except ApiProblem as problem:
                return problem.status, problem.payload()

    def _route(
        self, method: str, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Any]:
        if (method, path) == ("POST", "/applications/token"):
            return 200, self._issue_token(parse_qs(body.decode()))
        if headers.get("Authorization", "").removeprefix("Bearer ") not in self._tokens:
            raise ApiProblem(401, "unauthorized", "Invalid or missing bearer token.")
        payload = json.loads(body) if body else {}
        if match := re.fullmatch(r"/(sources|destinations|connections)", path):
            collection = match[1]
            if method == "GET":
                return 200, self._list(collection, query)
            if method == "POST":
                return 200, self._create(collection, payload)
        if match := re.fullmatch(r"/(sources|destinations|connections)/([^/]+)", path):
            collection, object_id = match[1], match[2]
            if method == "GET":
                return 200, self._public(collection, self._stored(collection, object_id))
            if method == "PATCH":
                return 200, self._patch(collection, object_id, payload)
            if method == "DELETE":
                self._delete(collection, object_id)
                return 204, None
        if (method, path) == ("POST", "/jobs"):
            if payload.get("jobType") != "sync":
                raise ApiProblem(400, "bad-request", "this fake simulates sync jobs only")
            return 200, self.syncs.start(self._stored("connections", str(payload.get("connectionId"))))
        if method == "GET" and (match := re.fullmatch(r"/jobs/([^/]+)", path)):
            return 200, self._job(match[1])
        if match := re.fullmatch(r"/workspaces/([^/]+)", path):
            workspace = self.workspaces.get(match[1])
            if workspace is None:
                raise ApiProblem(404, "resource-not-found", f"Could not find workspace {match[1]}")
            if method == "PATCH":
                patch_workspace(workspace, payload)
            if method in ("GET", "PATCH"):
                return 200, workspace
        raise ApiProblem(404, "not-found", f"No route for {method} {path}")

    def _job(self, job_id: str) -> dict[str, Any]:
        """`GET /jobs/{jobId}`: the path parameter is a Long (JobsController.getJob), so a non-number is a 400."""
        if not job_id.isdigit():
            raise ApiProblem(400, "bad-request", f"Failed to convert argument [jobId] for value [{job_id}]")
        job = self.syncs.job(int(job_id))
        if job is None:
            raise ApiProblem(404, "resource-not-found", f"Could not find a resource for: {job_id}")
        return job

    def _issue_token(self, form: Mapping[str, list[str]]) -> dict[str, Any]:
        given = (form.get("client_id", [""])[0], form.get("client_secret", [""])[0])
        if form.get("grant_type") != ["client_credentials"] or given != self._client:
            raise ApiProblem(401, "unauthorized", "Invalid client credentials.")
        token = str(uuid.uuid4())
        self._tokens.add(token)
        return {"access_token": token, "token_type": "Bearer", "expires_in": 180}

    def _list(self, collection: str, query: Mapping[str, list[str]]) -> dict[str, Any]:
        workspaces = {w for value in query.get("workspaceIds", []) for w in value.split(",")}
        limit, offset = int(query.get("limit", ["20"])[0]), int(query.get("offset", ["0"])[0])
        if not 1 <= limit <= MAX_PAGE:
            raise ApiProblem(400, "bad-request", f"limit must be between 1 and {MAX_PAGE}")
        items = [
            i for i in getattr(self, collection).values() if not workspaces or i["workspaceId"] in workspaces
        ]
        page = {"data": [self._public(collection, item) for item in items[offset : offset + limit]]}
        base = {"workspaceIds": ",".join(sorted(workspaces)), "limit": limit}
        if offset + limit < len(items):
            page["next"] = f"{self.url}/{collection}?{urlencode({**base, 'offset': offset + limit})}"
        if offset > 0:
            page["previous"] = (
                f"{self.url}/{collection}?{urlencode({**base, 'offset': max(0, offset - limit)})}"
            )
        return page

    def _create(self, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        object_id = str(uuid.uuid4())
        if collection == "connections":
            source = self._stored("sources", body.get("sourceId", ""), status=400)
            self._stored("destinations", body.get("destinationId", ""), status=400)
            stored = new_connection(body, source["workspaceId"])
        else:
            workspace_id = body.get("workspaceId")
            if workspace_id not in self.workspaces:
                raise ApiProblem(404, "resource-not-found", f"Could not find workspace {workspace_id}")
            connector = connector_named(collection, body.get("configuration") or {})
            # SourcesController / DestinationsController: the type picks the definition, then
            # removeSourceTypeNode / removeDestinationType drop it from the configuration that is saved.
            configuration = saved_configuration(collection, body)
            check_connector(connector, configuration)
            stored = {
                "name": body.get("name"),
                "workspaceId": workspace_id,
                "definitionId": DEFINITION_IDS[collection][connector],
                "configuration": configuration,
            }
        stored |= {f"{collection.removesuffix('s')}Id": object_id, "createdAt": int(time.time())}
        getattr(self, collection)[object_id] = stored
        return self._public(collection, stored)

    def _patch(self, collection: str, object_id: str, body: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(collection, object_id)
        if collection == "connections":
            stored |= connection_fields(body)
        else:
            # A type in a patch is dropped unread (removeSourceTypeNode): a connector keeps its definition.
            patch = saved_configuration(collection, body)
            # ConfigurationUpdate.partialSource: the patch is merged into the saved configuration.
            configuration = deep_merge(stored["configuration"], patch)
            check_connector(connector_of(collection, stored), configuration)
            stored["configuration"] = configuration
            stored["name"] = body.get("name", stored["name"])
        return self._public(collection, stored)

    def _delete(self, collection: str, object_id: str) -> None:
        self._stored(collection, object_id)
        del getattr(self, collection)[object_id]
        id_key = f"{collection.removesuffix('s')}Id"
        for connection_id in [c for c, item in self.connections.items() if item.get(id_key) == object_id]:
            del self.connections[connection_id]

    def _stored(self, collection: str, object_id: str, status: int = 404) -> dict[str, Any]:
        stored = getattr(self, collection).get(object_id)
        if stored is None:
            raise ApiProblem(
                status, "resource-not-found", f"Could not find a {collection[:-1]} with id {object_id}"
            )
        return stored

    @staticmethod
    def _public(collection: str, stored: dict[str, Any]) -> dict[str, Any]:
        if collection == "connections":
            return public_connection(stored)
        return public_connector(collection, stored)
