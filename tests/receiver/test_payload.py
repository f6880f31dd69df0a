"""The webhook model against Airbyte's own serialised example, and the fake's body against the same shape."""

import json
from uuid import UUID

import pytest
from pydantic import ValidationError

from sophia.receiver.payload import SyncWebhook
from tests.airbyte.java_formats import java_duration, summary_duration, volume
from tests.airbyte.sync_webhooks import FAILED, SyncOutcome, webhook_body

# airbyte-notification test/.../slack/NotificationTest.kt `testDataNode`: the `data` node Airbyte writes for a
# failed job, verbatim in content.
AIRBYTE_DATA_NODE = {
    "workspace": {
        "id": "b510e39b-e9e2-4833-9a3a-963e51d35fb4",
        "name": "Workspace1",
        "url": "https://link/to/ws",
    },
    "connection": {
        "id": "64d901a1-2520-4d91-93c8-9df438668ff0",
        "name": "Connection",
        "url": "https://link/to/connection",
    },
    "source": {
        "id": "c0655b08-1511-4e72-b7da-24c5d54de532",
        "name": "Source",
        "url": "https://link/to/source",
    },
    "destination": {
        "id": "5621c38f-8048-4abb-85ca-b34ff8d9a298",
        "name": "Destination",
        "url": "https://link/to/destination",
    },
    "jobId": 9988,
    "startedAt": "2024-01-01T00:00:00Z",
    "finishedAt": "2024-01-01T01:00:00Z",
    "bytesEmitted": 1000,
    "bytesCommitted": 90,
    "recordsEmitted": 89,
    "recordsFilteredOut": 0,
    "bytesFilteredOut": 0,
    "recordsCommitted": 45,
    "errorMessage": "Something failed",
    "errorType": "config_error",
    "errorOrigin": "destination",
    "bytesEmittedFormatted": "1000 B",
    "bytesCommittedFormatted": "90 B",
    "success": False,
    "durationInSeconds": 3600,
    "durationFormatted": "1 hours 0 min",
}


SUCCEEDED = SyncOutcome()


def fake_body(outcome: SyncOutcome = SUCCEEDED):
    """The fake's body for job 9988, run from 2024-01-01T00:00:00Z for an hour, named as in Airbyte's example."""
    workspace = {"workspaceId": "b510e39b-e9e2-4833-9a3a-963e51d35fb4", "name": "Workspace1"}
    connection = {"connectionId": "64d901a1-2520-4d91-93c8-9df438668ff0", "name": "Connection"}
    source = {"sourceId": "c0655b08-1511-4e72-b7da-24c5d54de532", "name": "Source"}
    destination = {"destinationId": "5621c38f-8048-4abb-85ca-b34ff8d9a298", "name": "Destination"}
    return webhook_body(
        "https://airbyte.example.invalid",
        workspace,
        connection,
        source,
        destination,
        9988,
        1704067200,
        1704070800,
        outcome,
    )


def test_airbytes_own_example_validates_as_a_failed_sync():
    webhook = SyncWebhook.model_validate_json(
        json.dumps({"text": "t", "blocks": [], "data": AIRBYTE_DATA_NODE})
    )
    assert webhook.data.connection.id == UUID("64d901a1-2520-4d91-93c8-9df438668ff0")
    assert (webhook.data.job_id, webhook.data.success) == (9988, False)


def test_the_fakes_data_node_has_airbytes_keys_in_airbytes_order():
    assert list(fake_body()["data"]) == list(AIRBYTE_DATA_NODE)


def test_the_fakes_failed_sync_matches_airbytes_example_where_they_share_inputs():
    outcome = SyncOutcome(
        succeeded=False,
        records_emitted=89,
        records_committed=45,
        bytes_emitted=1000,
        bytes_committed=90,
        error_message="Something failed",
        error_type="config_error",
        error_origin="destination",
    )
    data = fake_body(outcome)["data"]
    links = ("workspace", "connection", "source", "destination")
    # Only the URLs differ: the example's are made up, the fake's are WebUrlHelper's.
    without_urls = {key: {**value, "url": None} if key in links else value for key, value in data.items()}
    assert without_urls == {
        key: {**value, "url": None} if key in links else value for key, value in AIRBYTE_DATA_NODE.items()
    }
    assert data["connection"]["url"] == (
        "https://airbyte.example.invalid/workspaces/b510e39b-e9e2-4833-9a3a-963e51d35fb4"
        "/connections/64d901a1-2520-4d91-93c8-9df438668ff0"
    )


def test_the_fakes_text_and_blocks_follow_the_success_template():
    body = fake_body()
    assert body["text"].startswith(
        "Your connection Connection from Source to Destination succeeded\nThis was for null"
    )
    assert body["text"].endswith("\n\nJob ID: 9988")
    assert body["blocks"][0]["text"]["text"].startswith("Sync completed: <https://")
    assert [field["text"] for field in body["blocks"][1]["fields"]][::2] == [
        "*Source:*",
        "*Destination:*",
        "*Duration:*",
    ]
    assert body["blocks"][-1]["text"]["text"].startswith("*Sync Summary:*\n1200 record(s) extracted")


def test_the_fakes_failure_carries_the_failure_section():
    body = fake_body(FAILED)
    assert body["text"].startswith("Your connection Connection from Source to Destination just failed...")
    assert body["blocks"][2]["text"]["text"].startswith(
        "*Failure reason:*\n\n```\n[system_error] Something went"
    )


@pytest.mark.parametrize(
    ("seconds", "formatted"),
    [(59, "59 sec"), (200, "3 min 20 sec"), (3600, "1 hours 0 min"), (90061, "1 days 25 hours")],
)
def test_durations_are_formatted_as_sync_summary_does(seconds, formatted):
    assert summary_duration(seconds) == formatted


@pytest.mark.parametrize(
    ("size", "formatted"), [(90, "90 B"), (1000, "1000 B"), (3_500_000, "3 MB"), (2**50, "1024 TB")]
)
def test_volumes_are_formatted_as_sync_summary_does(size, formatted):
    assert volume(size) == formatted


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"jobId": 9988.0}, ("data", "jobId")),
        ({"jobId": True}, ("data", "jobId")),
        ({"success": None}, ("data", "success")),
        ({"connection": {"name": "no id"}}, ("data", "connection", "id")),
    ],
)
def test_what_the_receiver_acts_on_is_typed_strictly(change, location):
    data = {**AIRBYTE_DATA_NODE, **change}
    with pytest.raises(ValidationError) as error:
        SyncWebhook.model_validate_json(json.dumps({"data": data}))
    assert [problem["loc"] for problem in error.value.errors()] == [location]


def test_what_it_does_not_act_on_may_change_shape():
    data = {**AIRBYTE_DATA_NODE, "startedAt": 1704067200, "workspace": None, "newField": [1, 2]}
    assert SyncWebhook.model_validate_json(json.dumps({"data": data})).data.job_id == 9988


@pytest.mark.parametrize(
    ("seconds", "formatted"),
    [(0, "PT0S"), (45, "PT45S"), (200, "PT3M20S"), (3600, "PT1H"), (3661, "PT1H1M1S")],
)
def test_job_durations_are_formatted_as_java_duration_to_string_does(seconds, formatted):
    # JobResponseMapper: Duration.ofSeconds(updatedAt - createdAt).toString().
    assert java_duration(seconds) == formatted
