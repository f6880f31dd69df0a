"""The second plan is empty: after a create, an update or a refresh, the same inputs diff as no change; real drift shows."""

import json

import pytest

from components.airbyte.kinds import (
    CONFIGURATION,
    CONNECTION,
    DESTINATION,
    NOTIFICATIONS,
    SECRET_CONFIGURATION,
    SOURCE,
    ObjectKind,
)
from tests.airbyte.conftest import (
    FAILURE_WEBHOOK_URL,
    SCENARIOS,
    WEBHOOK_URL,
    Scenario,
    connection_props,
    hubspot_props,
    notifications_props,
    provider_for,
)
from tests.airbyte.fake_airbyte_server import DEFINITION_IDS, FakeAirbyte

every_kind = pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
connector_kinds = pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.kind in (SOURCE, DESTINATION)], ids=lambda s: s.id
)


def _assert_no_change(kind: ObjectKind, outs: dict, props: dict) -> None:
    diff = provider_for(kind).diff("id", outs, props)
    assert (diff.changed, diff.changes, diff.replaces) == ([], False, [])


@every_kind
def test_create_then_the_same_inputs_plan_no_change(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    props = scenario.props(airbyte, workspace_id)

    created = provider_for(scenario.kind).create(props)

    _assert_no_change(scenario.kind, created.outs, props)


@every_kind
def test_refresh_then_the_same_inputs_plan_no_change(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)

    read = provider.read(created.id, created.outs)

    assert read.outs == created.outs, "`pulumi refresh --expect-no-changes` right after `pulumi up`"
    _assert_no_change(scenario.kind, read.outs, props)


@every_kind
def test_update_then_the_same_inputs_plan_no_change(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)
    new_props = scenario.changed(props)

    updated = provider.update(created.id, created.outs, new_props)
    read = provider.read(created.id, updated.outs)

    _assert_no_change(scenario.kind, updated.outs, new_props)
    assert read.outs == updated.outs


@connector_kinds
def test_a_new_connector_type_is_a_replacement(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)
    type_key = scenario.kind.type_key
    configuration = json.loads(props[CONFIGURATION])
    retyped = {**props, CONFIGURATION: json.dumps({**configuration, type_key: "another-connector"})}

    diff = provider.diff(created.id, provider.read(created.id, created.outs).outs, retyped)

    assert (diff.changed, diff.replaces) == ([f"{CONFIGURATION}.{type_key}"], [CONFIGURATION])


def test_the_type_airbyte_reports_is_what_the_diff_compares(airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(SOURCE)
    props = hubspot_props(airbyte, workspace_id)
    created = provider.create(props)
    # The configuration is untouched; only the definition beside it, and so the reported type, differs.
    airbyte.sources[created.id]["definitionId"] = DEFINITION_IDS["sources"]["salesforce"]

    read = provider.read(created.id, created.outs)
    diff = provider.diff(created.id, read.outs, props)

    assert json.loads(read.outs[CONFIGURATION])["sourceType"] == "salesforce"
    assert (diff.changed, diff.replaces) == ([f"{CONFIGURATION}.sourceType"], [CONFIGURATION])


def test_a_cron_time_zone_set_outside_pulumi_is_drift_that_an_update_puts_back(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(CONNECTION)
    props = connection_props(airbyte, workspace_id)
    created = provider.create(props)
    airbyte.connections[created.id]["schedule"]["cronTimeZone"] = "Europe/Paris"  # as the web app allows

    read = provider.read(created.id, created.outs)
    diff = provider.diff(created.id, read.outs, props)
    provider.update(created.id, read.outs, props)

    assert json.loads(read.outs[CONFIGURATION])["schedule"]["cronExpression"] == "0 0 * * * ? Europe/Paris"
    assert (diff.changed, diff.replaces) == ([f"{CONFIGURATION}.schedule.cronExpression"], [])
    assert airbyte.connections[created.id]["schedule"]["cronTimeZone"] == "UTC"


def test_a_stream_added_outside_pulumi_is_drift(airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(CONNECTION)
    props = connection_props(airbyte, workspace_id)
    created = provider.create(props)
    airbyte.connections[created.id]["configurations"]["streams"].append(
        {"name": "deals", "syncMode": "full_refresh_overwrite", "cursorField": [], "primaryKey": []}
    )

    diff = provider.diff(created.id, provider.read(created.id, created.outs).outs, props)

    assert (diff.changed, diff.replaces) == ([f"{CONFIGURATION}.configurations.streams"], [])


def test_success_and_failure_keep_their_own_urls_and_plan_no_change(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(NOTIFICATIONS)
    props = notifications_props(airbyte, workspace_id)
    created = provider.create(props)

    read = provider.read(created.id, created.outs)

    stored = airbyte.workspaces[workspace_id]["notifications"]
    assert (stored["success"]["webhook"]["url"], stored["failure"]["webhook"]["url"]) == (
        WEBHOOK_URL,
        FAILURE_WEBHOOK_URL,
    )
    assert read.outs == created.outs
    _assert_no_change(NOTIFICATIONS, read.outs, props)


def test_the_two_webhook_urls_swapped_outside_pulumi_are_drift(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(NOTIFICATIONS)
    props = notifications_props(airbyte, workspace_id)
    created = provider.create(props)
    stored = airbyte.workspaces[workspace_id]["notifications"]
    stored["success"]["webhook"]["url"], stored["failure"]["webhook"]["url"] = (
        FAILURE_WEBHOOK_URL,
        WEBHOOK_URL,
    )

    diff = provider.diff(created.id, provider.read(created.id, created.outs).outs, props)

    assert (diff.changed, diff.replaces) == (
        [f"{SECRET_CONFIGURATION}.failure.webhook.url", f"{SECRET_CONFIGURATION}.success.webhook.url"],
        [],
    )


def test_a_webhook_switched_off_outside_pulumi_is_drift(airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(NOTIFICATIONS)
    scenario = next(s for s in SCENARIOS if s.kind is NOTIFICATIONS)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)
    airbyte.workspaces[workspace_id]["notifications"]["failure"]["webhook"]["enabled"] = False

    diff = provider.diff(created.id, provider.read(created.id, created.outs).outs, props)

    assert (diff.changed, diff.replaces) == ([f"{CONFIGURATION}.failure.webhook.enabled"], [])


@connector_kinds
def test_a_refresh_restores_the_type_to_state_that_lacks_it(
    scenario: Scenario, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)
    configuration = json.loads(created.outs[CONFIGURATION])
    del configuration[scenario.kind.type_key]  # as stored by a provider that compared the saved configuration

    read = provider.read(created.id, {**created.outs, CONFIGURATION: json.dumps(configuration)})

    assert read.outs == created.outs
    _assert_no_change(scenario.kind, read.outs, props)
