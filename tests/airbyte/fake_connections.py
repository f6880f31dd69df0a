"""The fake Airbyte's connections: the defaults, schedules and stream settings the server stores and reads back."""

from collections.abc import Mapping
from typing import Any

from tests.airbyte.fake_http import ApiProblem

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


def new_connection(body: dict[str, Any], workspace_id: str) -> dict[str, Any]:
    """A connection as a create stores it, in the source's workspace."""
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
        **connection_fields(body),
        "name": body.get("name") or f"{body['sourceId']} -> {body['destinationId']}",
        "sourceId": body["sourceId"],
        "destinationId": body["destinationId"],
        "workspaceId": workspace_id,
        "tags": [],
    }


def connection_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The connection fields a create or patch sets, as the server stores them."""
    fields = {key: body[key] for key in CONNECTION_FIELDS if key in body}
    if "schedule" in fields:
        fields["schedule"] = _stored_schedule(fields["schedule"])
    if "configurations" in fields:
        streams = fields["configurations"].get("streams") or []
        fields["configurations"] = {"streams": [_configured_stream(stream) for stream in streams]}
    return fields


def public_connection(stored: dict[str, Any]) -> dict[str, Any]:
    """A saved connection as the API returns it."""
    return {**stored, "schedule": _public_schedule(stored["schedule"])}


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
