"""The fake answers the way Airbyte's public API does where the provider depends on it (sources cited in the fake)."""

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from airbyte_api import AirbyteAPI, api, errors, models

from components.airbyte.client import AirbyteClient, ApiAccess, Collection
from components.airbyte.errors import AirbyteApiError
from components.airbyte.kinds import DESTINATION_ID, SOURCE_ID
from models.json_values import MASK
from tests.airbyte.conftest import (
    BEARER_TOKEN,
    FAST_RETRY,
    HUBSPOT_TOKEN,
    WEBHOOK_URL,
    connection_props,
    desired_configuration,
    hubspot_props,
)
from tests.airbyte.fake_airbyte_server import DEFINITION_IDS, NOTIFICATION_EVENTS, FakeAirbyte


@pytest.fixture
def client(airbyte: FakeAirbyte) -> Iterator[AirbyteClient]:
    """The provider's own client, over the real SDK."""
    with AirbyteClient(ApiAccess(airbyte.url, {"bearer_token": BEARER_TOKEN}), FAST_RETRY) as api:
        yield api


def _create_hubspot(client: AirbyteClient, airbyte: FakeAirbyte, workspace_id: str) -> dict:
    props = hubspot_props(airbyte, workspace_id)
    body = {"name": "hubspot", "workspaceId": workspace_id, "configuration": desired_configuration(props)}
    return client.create_or_adopt(Collection.SOURCES, workspace_id, "hubspot", body)[0]


def test_a_source_is_saved_without_its_type_which_is_reported_beside_it(
    client: AirbyteClient, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    created = _create_hubspot(client, airbyte, workspace_id)

    read = client.get(Collection.SOURCES, created["sourceId"])

    assert read == created
    assert "sourceType" not in read["configuration"]
    assert (read["sourceType"], read["definitionId"]) == ("hubspot", DEFINITION_IDS["sources"]["hubspot"])
    assert read["configuration"]["credentials"]["access_token"] == MASK
    assert airbyte.sources[read["sourceId"]]["configuration"]["credentials"]["access_token"] == HUBSPOT_TOKEN


def test_a_type_in_a_patch_is_dropped_and_the_connector_keeps_its_type(
    client: AirbyteClient, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    source_id = _create_hubspot(client, airbyte, workspace_id)["sourceId"]

    patched = client.patch(Collection.SOURCES, source_id, {"configuration": {"sourceType": "gong"}})

    assert patched["sourceType"] == "hubspot"
    assert "sourceType" not in airbyte.sources[source_id]["configuration"]


def test_a_create_that_names_no_type_is_unprocessable(
    client: AirbyteClient, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    with pytest.raises(AirbyteApiError) as refused:
        client.create_or_adopt(
            Collection.SOURCES, workspace_id, "x", {"workspaceId": workspace_id, "configuration": {}}
        )

    assert refused.value.status == 422


def test_a_connection_reads_back_its_cron_with_utc_and_streams_the_server_filled_in(
    client: AirbyteClient, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    props = connection_props(airbyte, workspace_id)
    configuration = json.loads(props["configuration"])
    configuration["configurations"]["streams"].append({"name": "deals"})
    body = {
        **configuration,
        "name": "c",
        "sourceId": props[SOURCE_ID],
        "destinationId": props[DESTINATION_ID],
    }

    created = client.create_or_adopt(Collection.CONNECTIONS, workspace_id, "c", body)[0]
    retimed = client.patch(
        Collection.CONNECTIONS,
        created["connectionId"],
        {"schedule": {"scheduleType": "cron", "cronExpression": "0 30 * * * ? UTC"}},
    )

    assert created["schedule"] == {"scheduleType": "cron", "cronExpression": "0 0 * * * ? UTC"}
    assert retimed["schedule"]["cronExpression"] == "0 30 * * * ? UTC", (
        "a UTC the client sends is not doubled"
    )
    contacts, deals = created["configurations"]["streams"]
    assert contacts == {
        "name": "contacts",
        "syncMode": "incremental_deduped_history",
        "cursorField": ["updatedAt"],
        "primaryKey": [["id"]],
        "mappers": [],
        "includeFiles": False,
        "selectedFields": [],
    }
    assert (deals["syncMode"], deals["cursorField"], deals["primaryKey"]) == (
        "full_refresh_overwrite",
        [],
        [],
    )


def test_a_workspace_reports_every_event_on_both_channels_and_keeps_a_url_switched_off(
    client: AirbyteClient, workspace_id: str
) -> None:
    before = client.get_workspace(workspace_id)["notifications"]
    client.update_workspace(
        workspace_id, {"notifications": {"success": {"webhook": {"enabled": True, "url": WEBHOOK_URL}}}}
    )

    after = client.update_workspace(
        workspace_id, {"notifications": {"success": {"webhook": {"enabled": False}}}}
    )

    assert list(before) == list(NOTIFICATION_EVENTS)
    assert before["success"] == {"email": {"enabled": False}, "webhook": {"enabled": False}}
    assert before["failure"] == {"email": {"enabled": True}, "webhook": {"enabled": False}}
    assert after["notifications"]["success"]["webhook"] == {"enabled": False, "url": WEBHOOK_URL}


def test_an_enabled_webhook_without_a_url_is_refused(client: AirbyteClient, workspace_id: str) -> None:
    with pytest.raises(AirbyteApiError, match="The 'failure' notification is enabled but is missing a URL"):
        client.update_workspace(workspace_id, {"notifications": {"failure": {"webhook": {"enabled": True}}}})


def test_a_job_reads_back_as_the_sdks_job_response_running_then_finished(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    # Parsed by the SDK's own models.JobResponse, so a field the real API names differently would fail here.
    props = connection_props(airbyte, workspace_id)
    connection_id = airbyte.seed(
        "connections", {"name": "c", "sourceId": props[SOURCE_ID], "destinationId": props[DESTINATION_ID]}
    )
    airbyte.syncs.run_time_s = 0.3
    with httpx.Client() as http:
        sdk = AirbyteAPI(
            server_url=airbyte.url,
            security=models.Security(bearer_auth=BEARER_TOKEN),
            client=http,
            async_client=httpx.AsyncClient(),
        )
        created = sdk.jobs.create_job(
            request=models.JobCreateRequest(connection_id=connection_id, job_type=models.JobTypeEnum.SYNC)
        ).job_response
        assert created is not None
        job = api.GetJobRequest(job_id=created.job_id)
        running = sdk.jobs.get_job(request=job).job_response
        airbyte.syncs.wait(created.job_id)
        finished = sdk.jobs.get_job(request=job).job_response
        with pytest.raises(errors.SDKError, match="Status 404"):
            sdk.jobs.get_job(request=api.GetJobRequest(job_id=created.job_id + 1))
    assert running is not None and finished is not None
    assert (running.status, running.job_type, running.last_updated_at) == (
        models.JobStatusEnum.RUNNING,
        models.JobTypeEnum.SYNC,
        None,
    )
    assert (finished.status, finished.connection_id, finished.rows_synced) == (
        models.JobStatusEnum.SUCCEEDED,
        connection_id,
        1200,
    )
    # JobResponseMapper writes times with OffsetDateTime.toString() and durations with Duration.toString().
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z", finished.last_updated_at or "")
    assert re.fullmatch(r"PT(\d+M)?(\d+S)?", finished.duration or "")
