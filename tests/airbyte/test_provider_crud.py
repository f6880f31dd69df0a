"""Each Airbyte object kind through the provider's own methods, the real SDK and real HTTP: CRUD, diff, drift."""

import json

import pytest

from components.airbyte.kinds import (
    CONFIGURATION,
    CONNECTION,
    DESTINATION_ID,
    NAME,
    NOTIFICATIONS,
    SECRET_CONFIGURATION,
    SOURCE,
    SOURCE_ID,
    WORKSPACE_ID,
)
from components.airbyte.provider import AirbyteProviderError
from tests.airbyte.conftest import (
    FAILURE_WEBHOOK_URL,
    HUBSPOT_TOKEN,
    SCENARIOS,
    Scenario,
    connection_props,
    holds,
    hubspot_props,
    notifications_props,
    provider_for,
)
from tests.airbyte.fake_airbyte_server import FakeAirbyte

every_kind = pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)


@every_kind
def test_create_read_update_delete(scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)

    created = provider.create(props)
    assert holds(airbyte, scenario.kind, created.id, props)
    assert scenario.count(airbyte, props) == 1
    assert created.outs[scenario.kind.id_output] == created.id

    read = provider.read(created.id, created.outs)
    assert (read.id, read.outs) == (created.id, created.outs), (
        "a refresh right after create must show no drift"
    )
    assert not provider.diff(created.id, read.outs, props).changes

    new_props = scenario.changed(props)
    diff = provider.diff(created.id, read.outs, new_props)
    assert diff.changed == [f"{CONFIGURATION}.{path}" for path in scenario.change]
    assert (diff.changes, diff.replaces) == (True, [])

    updated = provider.update(created.id, read.outs, new_props)
    assert holds(airbyte, scenario.kind, created.id, new_props)
    assert json.loads(updated.outs[CONFIGURATION]) == json.loads(new_props[CONFIGURATION])
    assert scenario.count(airbyte, props) == 1

    provider.delete(created.id, updated.outs)
    provider.delete(created.id, updated.outs)  # deleting what is already gone is not an error
    if scenario.kind is NOTIFICATIONS:
        assert not any(
            events["webhook"]["enabled"] for events in scenario.stored(airbyte, created.id).values()
        )
    else:
        assert scenario.stored(airbyte, created.id) is None
        assert provider.read(created.id, updated.outs).id == ""


@every_kind
def test_refresh_shows_a_change_made_outside_pulumi(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)

    outside = json.loads(scenario.changed(props)[CONFIGURATION])
    stored = scenario.stored(airbyte, created.id)
    for path in scenario.change:
        *parents, leaf = path.split(".")
        target, source = stored, outside
        for key in parents:
            target, source = target[key], source[key]
        target[leaf] = source[leaf]

    refreshed = provider.read(created.id, created.outs)
    assert refreshed.id == created.id
    assert json.loads(refreshed.outs[CONFIGURATION]) == outside
    diff = provider.diff(created.id, refreshed.outs, props)
    assert diff.changed == [f"{CONFIGURATION}.{path}" for path in scenario.change]


@every_kind
def test_refresh_shows_an_object_deleted_outside_pulumi(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    created = provider.create(scenario.props(airbyte, workspace_id))
    collection = "workspaces" if scenario.kind is NOTIFICATIONS else scenario.kind.collection.value
    del getattr(airbyte, collection)[created.id]

    gone = provider.read(created.id, created.outs)

    assert (gone.id, gone.outs) == ("", {})


@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.kind is not NOTIFICATIONS], ids=lambda s: s.id
)
def test_create_adopts_an_existing_object_and_converges_it(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    stale = provider.create(scenario.changed(props))  # say, left by a run whose state was lost

    adopted = provider.create(props)

    assert adopted.id == stale.id
    assert scenario.count(airbyte, props) == 1
    assert holds(airbyte, scenario.kind, adopted.id, props)


@every_kind
def test_identity_changes_force_a_replacement(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)

    diff = provider.diff(created.id, created.outs, {**props, WORKSPACE_ID: "another-workspace"})

    assert diff.replaces == [WORKSPACE_ID]
    assert diff.delete_before_replace, "names identify objects, so the old one must go first"


def test_connector_type_change_forces_replacement_other_settings_patch(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(SOURCE)
    props = hubspot_props(airbyte, workspace_id)
    created = provider.create(props)
    configuration = json.loads(props[CONFIGURATION])

    retyped = {**props, CONFIGURATION: json.dumps({**configuration, "sourceType": "salesforce"})}
    renamed = {**props, NAME: "hubspot-renamed"}

    assert provider.diff(created.id, created.outs, retyped).replaces == [CONFIGURATION]
    assert provider.diff(created.id, created.outs, renamed).changed == [NAME]
    assert provider.diff(created.id, created.outs, renamed).replaces == []


def test_connection_replaced_when_its_ends_change_even_if_still_unknown(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(CONNECTION)
    props = connection_props(airbyte, workspace_id)
    created = provider.create(props)
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # how the engine spells an unknown during preview

    assert provider.diff(created.id, created.outs, {**props, SOURCE_ID: unknown}).replaces == [SOURCE_ID]
    assert provider.diff(created.id, created.outs, {**props, DESTINATION_ID: "x"}).replaces == [
        DESTINATION_ID
    ]
    assert provider.diff(created.id, created.outs, {**props, CONFIGURATION: unknown}).replaces == []


def test_masked_secrets_keep_their_known_value_and_rotation_is_a_change(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(SOURCE)
    props = hubspot_props(airbyte, workspace_id)
    created = provider.create(props)

    read = provider.read(created.id, created.outs)
    rotated = {**props, SECRET_CONFIGURATION: json.dumps({"credentials": {"access_token": "pat-rotated"}})}
    diff = provider.diff(created.id, read.outs, rotated)
    provider.update(created.id, read.outs, rotated)

    assert json.loads(read.outs[SECRET_CONFIGURATION]) == {"credentials": {"access_token": HUBSPOT_TOKEN}}
    assert diff.changed == [f"{SECRET_CONFIGURATION}.credentials.access_token"]
    assert airbyte.sources[created.id]["configuration"]["credentials"]["access_token"] == "pat-rotated"


def test_secret_drift_shows_where_the_api_returns_it_in_clear(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(NOTIFICATIONS)
    props = notifications_props(airbyte, workspace_id)
    created = provider.create(props)
    airbyte.workspaces[workspace_id]["notifications"]["failure"]["webhook"]["url"] = (
        "https://evil.example/hook"
    )

    diff = provider.diff(created.id, provider.read(created.id, created.outs).outs, props)

    assert diff.changed == [f"{SECRET_CONFIGURATION}.failure.webhook.url"]
    assert json.loads(created.outs[SECRET_CONFIGURATION])["failure"]["webhook"]["url"] == FAILURE_WEBHOOK_URL


def test_update_of_an_object_deleted_outside_pulumi_says_so(airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(SOURCE)
    props = hubspot_props(airbyte, workspace_id)
    created = provider.create(props)
    del airbyte.sources[created.id]

    with pytest.raises(
        AirbyteProviderError,
        match=r"update of source 'hubspot-renamed' failed: .*HTTP 404 from Airbyte: Could not find",
    ):
        provider.update(created.id, created.outs, {**props, NAME: "hubspot-renamed"})
