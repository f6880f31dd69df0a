"""A small stateful stand-in for the Airbyte public API v1, on loopback only, with faults injectable per request."""

import json
import re
import threading
import time
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from models.json_values import MASK, deep_merge
from stack.airbyte.source_types import SOURCE_SPECS, SourceSpec
from tests.airbyte.sync_webhooks import SyncRuns

LOOPBACK = "127.0.0.1"
API_PREFIX = "/v1"
# The one destination, as the sources are declared in SOURCE_SPECS: its definition id, the fields its spec
# requires and the ones it declares `airbyte_secret`.
SNOWFLAKE_DEFINITION_ID = "424892c4-daac-4491-b35d-c6688ba547ba"
SNOWFLAKE_REQUIRED = (
    "host",
    "role",
    "warehouse",
    "database",
    "schema",
    "username",
    "credentials.private_key",
)
SNOWFLAKE_SECRETS = frozenset({"private_key", "private_key_password", "password"})


def _credential_paths(spec: SourceSpec) -> tuple[str, ...]:
    return tuple(
        f"{spec.credentials_key}.{name}" if spec.credentials_key else name for name in spec.credential_fields
    )


def _required(spec: SourceSpec) -> tuple[str, ...]:
    """What the connector's spec requires, as the SDK's model of it says, with each credential at its path."""
    declared = [
        field.alias or name
        for name, field in spec.sdk_model.model_fields.items()
        if field.is_required() and name != spec.credentials_key
    ]
    return tuple(dict.fromkeys([*declared, *_credential_paths(spec)]))


# Credentials the connector's spec does not declare `airbyte_secret`, so the API returns them in clear:
# Salesforce's client_id (source-salesforce spec.yaml).
NOT_MASKED = frozenset({"client_id"})
# Fields the real connectors declare `airbyte_secret`: the API stores them but only ever returns the mask.
SECRET_FIELDS = (
    frozenset(name for spec in SOURCE_SPECS.values() for name in spec.credential_fields) - NOT_MASKED
) | SNOWFLAKE_SECRETS
# Enough of each connector's spec to reject what the real API rejects in our tests.
REQUIRED_FIELDS = {
    **{source_type.value: _required(spec) for source_type, spec in SOURCE_SPECS.items()},
    "snowflake": SNOWFLAKE_REQUIRED,
}
TYPE_KEYS = {"sources": "sourceType", "destinations": "destinationType"}
# The public API resolves a connector name to its definition and back through fixed tables
# (airbyte-server .../publicapi/mappers/NameToDefinitionMapper.kt).
DEFINITION_IDS = {
    "sources": {source_type.value: spec.definition_id for source_type, spec in SOURCE_SPECS.items()},
    "destinations": {"snowflake": SNOWFLAKE_DEFINITION_ID},
}
CONNECTION_FIELDS = (
    "name",
    "schedule",
    "status",
    "configurations",
    "namespaceDefinition",
    "namespaceFormat",
    "nonBreakingSchemaUpdatesBehavior",
    "prefix",
)
# Every cron the public API is given is stored with this zone (ConnectionCreateMapper, ConnectionUpdateMapper).
API_CRON_TIME_ZONE = "UTC"
# Workspace notification events, and those that e-mail unless told otherwise: the defaults the server fills in
# (airbyte-config .../helpers/NotificationSettingsHelpers.kt patchNotificationSettingsWithDefaultValue).
NOTIFICATION_EVENTS = (
    "failure",
    "success",
    "connectionUpdate",
    "connectionUpdateActionRequired",
    "syncDisabled",
    "syncDisabledWarning",
)
EMAILED_BY_DEFAULT = frozenset(NOTIFICATION_EVENTS) - {"success"}
ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$")
MAX_PAGE = 100


class Fault(StrEnum):
    """What can go wrong with one request."""

    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    TIMEOUT = "timeout"  # answers only after the client's timeout, having done the work
    DROPPED = "dropped"  # does the work, then closes the connection without any response


@dataclass
class _Injection:
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
        self._faults: list[_Injection] = []
        self._lock = threading.RLock()
        self._server = _Server((LOOPBACK, 0), _Handler)
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
            self._faults += [_Injection(method, re.compile(path_pattern), fault)] * times

    @property
    def pending_faults(self) -> int:
        """Injected faults no request has met yet."""
        with self._lock:
            return len(self._faults)

    def add_workspace(self, name: str = "sophia") -> str:
        """A workspace with Airbyte's default notifications: e-mails on every event but success, no webhook."""
        workspace_id = str(uuid.uuid4())
        with self._lock:
            self.workspaces[workspace_id] = {
                "workspaceId": workspace_id,
                "name": name,
                "dataResidency": "auto",
                # Every event, each with both channels: WorkspaceResponseMapper maps all of them, always.
                "notifications": {
                    event: {
                        "email": {"enabled": event in EMAILED_BY_DEFAULT},
                        "webhook": {"enabled": False},
                    }
                    for event in NOTIFICATION_EVENTS
                },
            }
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
            return _connector_of(collection, getattr(self, collection)[object_id])

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
                self._patch_workspace(workspace, payload)
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
            stored = self._new_connection(body)
        else:
            workspace_id = body.get("workspaceId")
            if workspace_id not in self.workspaces:
                raise ApiProblem(404, "resource-not-found", f"Could not find workspace {workspace_id}")
            connector = self._connector_named(collection, body.get("configuration") or {})
            # SourcesController / DestinationsController: the type picks the definition, then
            # removeSourceTypeNode / removeDestinationType drop it from the configuration that is saved.
            configuration = _without(body.get("configuration") or {}, TYPE_KEYS[collection])
            self._check_connector(connector, configuration)
            stored = {
                "name": body.get("name"),
                "workspaceId": workspace_id,
                "definitionId": DEFINITION_IDS[collection][connector],
                "configuration": configuration,
            }
        stored |= {f"{collection.removesuffix('s')}Id": object_id, "createdAt": int(time.time())}
        getattr(self, collection)[object_id] = stored
        return self._public(collection, stored)

    def _new_connection(self, body: dict[str, Any]) -> dict[str, Any]:
        source = self._stored("sources", body.get("sourceId", ""), status=400)
        self._stored("destinations", body.get("destinationId", ""), status=400)
        # Defaults of ConnectionCreateRequest in the public API spec (server-api .../openapi/api.yaml), and
        # ConnectionCreateMapper: no schedule means manual, no status means active.
        defaults = {
            "status": "active",
            "schedule": {"scheduleType": "manual"},
            "configurations": {"streams": []},
            "namespaceDefinition": "destination",
            "nonBreakingSchemaUpdatesBehavior": "ignore",
            "prefix": "",
        }
        return {
            **defaults,
            **self._connection_fields(body),
            "name": body.get("name") or f"{body['sourceId']} -> {body['destinationId']}",
            "sourceId": body["sourceId"],
            "destinationId": body["destinationId"],
            "workspaceId": source["workspaceId"],
            "tags": [],
        }

    def _connection_fields(self, body: dict[str, Any]) -> dict[str, Any]:
        """The connection fields a create or patch sets, as the server stores them."""
        fields = {key: body[key] for key in CONNECTION_FIELDS if key in body}
        if "schedule" in fields:
            fields["schedule"] = _stored_schedule(fields["schedule"])
        if "configurations" in fields:
            streams = fields["configurations"].get("streams") or []
            fields["configurations"] = {"streams": [_configured_stream(stream) for stream in streams]}
        return fields

    def _patch(self, collection: str, object_id: str, body: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(collection, object_id)
        if collection == "connections":
            stored |= self._connection_fields(body)
        else:
            # A type in a patch is dropped unread (removeSourceTypeNode): a connector keeps its definition.
            patch = _without(body.get("configuration") or {}, TYPE_KEYS[collection])
            # ConfigurationUpdate.partialSource: the patch is merged into the saved configuration.
            configuration = deep_merge(stored["configuration"], patch)
            self._check_connector(_connector_of(collection, stored), configuration)
            stored["configuration"] = configuration
            stored["name"] = body.get("name", stored["name"])
        return self._public(collection, stored)

    def _delete(self, collection: str, object_id: str) -> None:
        self._stored(collection, object_id)
        del getattr(self, collection)[object_id]
        id_key = f"{collection.removesuffix('s')}Id"
        for connection_id in [c for c, item in self.connections.items() if item.get(id_key) == object_id]:
            del self.connections[connection_id]

    def _patch_workspace(self, workspace: dict[str, Any], body: dict[str, Any]) -> None:
        # WorkspacesHandler.patchNotificationItem: per event and channel, only the given `enabled` and `url`
        # change; switching a webhook off keeps its URL.
        notifications = deep_merge(
            workspace["notifications"], _without_nulls(body.get("notifications") or {})
        )
        for event, channels in notifications.items():
            webhook = channels["webhook"]
            # WorkspaceHelpers.validateWorkspace: an enabled webhook needs a URL, whatever its scheme.
            if webhook["enabled"] and not str(webhook.get("url") or "").strip():
                raise ApiProblem(
                    400,
                    "Notification missing URL",
                    f"The '{event}' notification is enabled but is missing a URL.",
                )
        workspace["notifications"] = notifications
        workspace["name"] = body.get("name", workspace["name"])

    def _connector_named(self, collection: str, configuration: Mapping[str, Any]) -> str:
        """The connector a create names by its type (SourcesController.publicCreateSource)."""
        connector = configuration.get(TYPE_KEYS[collection])
        if connector is None:
            raise ApiProblem(422, "unprocessable-entity", "The body of the request was not understood")
        if connector not in DEFINITION_IDS[collection]:
            raise ApiProblem(400, "value-not-found", f"The submitted value could not be found: {connector}")
        return connector

    def _check_connector(self, connector: str, configuration: dict[str, Any]) -> None:
        missing = [path for path in REQUIRED_FIELDS[connector] if _at(configuration, path) in (None, "")]
        if missing:
            raise ApiProblem(
                422,
                "invalid-input",
                "The provided configuration does not fulfill the specification. Errors: "
                + "; ".join(f"$.{path}: is missing but it is required" for path in missing),
            )
        start = configuration.get("start_date")
        if start is not None and not ISO_DATE_TIME.match(str(start)):
            # Deliberately careless, as some servers are: the message quotes the whole request, secrets included.
            raise ApiProblem(
                400,
                "bad-request",
                f"$.start_date: does not match the date-time pattern. Configuration: {json.dumps(configuration)}",
            )

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
            return {**stored, "schedule": _public_schedule(stored["schedule"])}
        # SourceReadMapper / DestinationReadMapper: the saved configuration with its secrets masked, and the
        # connector type beside it, named from the definition.
        return {
            **stored,
            TYPE_KEYS[collection]: _connector_of(collection, stored),
            "configuration": _masked(stored["configuration"]),
        }


class _Server(HTTPServer):
    """A single-threaded server: requests are handled in arrival order, as the fault tests rely on."""

    airbyte: FakeAirbyte


class _Handler(BaseHTTPRequestHandler):
    """HTTP plumbing and fault injection; the API itself lives in FakeAirbyte."""

    server: _Server

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


def _at(document: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None."""
    value: Any = document
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _connector_of(collection: str, stored: Mapping[str, Any]) -> str:
    """The connector name of a saved source or destination, from its definition id."""
    by_id = {definition: name for name, definition in DEFINITION_IDS[collection].items()}
    return by_id.get(stored["definitionId"], "")  # the read mappers' getOrDefault(..., "")


def _stored_schedule(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """A schedule as the server keeps it: a cron (any ` UTC` the client added taken off) and its zone."""
    if schedule.get("scheduleType") != "cron":
        return {"scheduleType": schedule.get("scheduleType", "manual")}
    expression = schedule.get("cronExpression")
    if not expression:
        raise ApiProblem(400, "bad-request", "Missing cron expression in the schedule.")
    # AirbyteCatalogHelper.normalizeCronExpression, then validateCronConfiguration: seconds must be a number.
    if expression.endswith(API_CRON_TIME_ZONE):
        expression = expression.replace(API_CRON_TIME_ZONE, "").strip()
    fields = expression.split()
    if not fields or not fields[0].isdigit():
        raise ApiProblem(
            400,
            "bad-request",
            f"The cron expression {schedule['cronExpression']} is not valid or is less than the one hour "
            "minimum. The seconds and minutes values cannot be `*`.",
        )
    return {"scheduleType": "cron", "cronExpression": expression, "cronTimeZone": API_CRON_TIME_ZONE}


def _public_schedule(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """ConnectionReadMapper: a cron is read back as "<expression> <zone>"; manual has no expression."""
    if schedule["scheduleType"] != "cron":
        return {"scheduleType": schedule["scheduleType"]}
    return {
        "scheduleType": "cron",
        "cronExpression": f"{schedule['cronExpression']} {schedule['cronTimeZone']}",
    }


def _configured_stream(stream: Mapping[str, Any]) -> dict[str, Any]:
    """A stream as the server configures it: unset keys and modes filled in, and fields we never send."""
    # AirbyteCatalogHelper.toAirbyteStreamConfiguration (no sync mode: full refresh, overwrite), with the
    # defaults of ConfiguredAirbyteStream (empty cursor, key and mappers; no files) and CatalogConverter.toApi
    # (no selected fields); ConnectionReadMapper then returns all of them.
    return {
        "syncMode": "full_refresh_overwrite",
        "cursorField": [],
        "primaryKey": [],
        "mappers": [],
        "includeFiles": False,
        "selectedFields": [],
        **stream,
    }


def _without(configuration: Mapping[str, Any], key: str) -> dict[str, Any]:
    """`configuration` less one top-level key, as removeConfigurationNode leaves it."""
    return {name: value for name, value in configuration.items() if name != key}


def _without_nulls(value: Any) -> Any:
    """A patch with its nulls dropped: the server applies only the values given."""
    if isinstance(value, Mapping):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value


def _masked(value: Any) -> Any:
    """`value` with every secret field replaced by the mask, as the real API returns configurations."""
    if isinstance(value, Mapping):
        return {k: MASK if k in SECRET_FIELDS and v is not None else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value
