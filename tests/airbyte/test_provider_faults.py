"""Every injected fault, on every call of every kind, ends with exactly one object in the wanted state."""

import pytest

from components.airbyte.kinds import NAME, NOTIFICATIONS, SOURCE
from components.airbyte.provider import AirbyteProviderError
from tests.airbyte.conftest import (
    FAST_RETRY,
    SCENARIOS,
    Scenario,
    desired_configuration,
    holds,
    hubspot_props,
    provider_for,
)
from tests.airbyte.fake_airbyte_server import LOOPBACK, FakeAirbyte, Fault

every_kind = pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
every_fault = pytest.mark.parametrize("fault", list(Fault), ids=lambda f: f.name.lower())
connector_kinds = pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.kind is not NOTIFICATIONS], ids=lambda s: s.id
)


def _write_method(scenario: Scenario, method: str) -> str:
    """Notifications live in the workspace: every change to them is a PATCH."""
    return "PATCH" if scenario.kind is NOTIFICATIONS else method


@every_fault
@every_kind
def test_create(scenario: Scenario, fault: Fault, airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    airbyte.inject(_write_method(scenario, "POST"), scenario.path, fault)

    created = provider.create(props)

    assert airbyte.pending_faults == 0
    assert scenario.count(airbyte, props) == 1
    assert holds(airbyte, scenario.kind, created.id, props)
    assert provider.read(created.id, created.outs).outs == created.outs


@every_fault
@connector_kinds
def test_create_when_the_name_lookup_fails(
    scenario: Scenario, fault: Fault, airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    airbyte.inject("GET", scenario.path, fault)

    created = provider.create(props)

    assert airbyte.pending_faults == 0
    assert scenario.count(airbyte, props) == 1
    assert holds(airbyte, scenario.kind, created.id, props)


@every_fault
@every_kind
def test_read(scenario: Scenario, fault: Fault, airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(scenario.kind)
    created = provider.create(scenario.props(airbyte, workspace_id))
    airbyte.inject("GET", scenario.path, fault)

    read = provider.read(created.id, created.outs)

    assert airbyte.pending_faults == 0
    assert (read.id, read.outs) == (created.id, created.outs)


@every_fault
@every_kind
def test_update(scenario: Scenario, fault: Fault, airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(scenario.kind)
    props = scenario.props(airbyte, workspace_id)
    created = provider.create(props)
    new_props = scenario.changed(props)
    airbyte.inject("PATCH", scenario.path, fault)

    provider.update(created.id, created.outs, new_props)

    assert airbyte.pending_faults == 0
    assert scenario.count(airbyte, props) == 1
    assert holds(airbyte, scenario.kind, created.id, new_props)


@every_fault
@every_kind
def test_delete(scenario: Scenario, fault: Fault, airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(scenario.kind)
    created = provider.create(scenario.props(airbyte, workspace_id))
    airbyte.inject(_write_method(scenario, "DELETE"), scenario.path, fault)

    provider.delete(created.id, created.outs)

    assert airbyte.pending_faults == 0
    stored = scenario.stored(airbyte, created.id)
    if scenario.kind is NOTIFICATIONS:
        assert not any(channels["webhook"]["enabled"] for channels in stored.values())
    else:
        assert stored is None


def test_a_run_that_fails_after_committing_leaves_an_object_the_rerun_adopts(
    airbyte: FakeAirbyte, workspace_id: str
) -> None:
    provider = provider_for(SOURCE)
    props = hubspot_props(airbyte, workspace_id)
    airbyte.inject("POST", r"/v1/sources", Fault.DROPPED)  # created, but the answer is lost ...
    airbyte.inject(
        "PATCH", r"/v1/sources/.+", Fault.SERVER_ERROR, times=FAST_RETRY.attempts
    )  # ... then outage

    with pytest.raises(AirbyteProviderError, match=r"still failing after 4 attempts \(last: HTTP 500\)"):
        provider.create(props)
    assert len(airbyte.named("sources", props[NAME])) == 1

    rerun = provider.create(props)

    assert [source["sourceId"] for source in airbyte.named("sources", props[NAME])] == [rerun.id]
    assert holds(airbyte, SOURCE, rerun.id, props)


def test_the_name_lookup_reads_every_page(airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(SOURCE)
    for index in range(5):
        provider.create(hubspot_props(airbyte, workspace_id, name=f"other-{index}"))
    props = hubspot_props(airbyte, workspace_id)
    airbyte.inject("POST", r"/v1/sources", Fault.DROPPED)
    lookups_before = airbyte.requests.count(("GET", "/v1/sources"))

    created = provider.create(props)

    assert [source["sourceId"] for source in airbyte.named("sources", props[NAME])] == [created.id]
    # Two lookups of three pages (two sources a page), one before and one after the lost create.
    assert airbyte.requests.count(("GET", "/v1/sources")) - lookups_before == 6


def test_two_objects_of_one_name_stop_the_create(airbyte: FakeAirbyte, workspace_id: str) -> None:
    provider = provider_for(SOURCE)
    props = hubspot_props(airbyte, workspace_id)
    first = provider.create(props).id
    twin = {"name": props[NAME], "workspaceId": workspace_id, "configuration": desired_configuration(props)}
    second = airbyte.seed("sources", twin)

    with pytest.raises(
        AirbyteProviderError, match=rf"2 sources are named 'hubspot-source' .*\({first}, {second}\)"
    ):
        provider.create(props)


def test_a_same_named_object_of_another_type_is_not_adopted(airbyte: FakeAirbyte, workspace_id: str) -> None:
    props = hubspot_props(airbyte, workspace_id)
    airbyte.seed(
        "sources",
        {
            "name": props[NAME],
            "workspaceId": workspace_id,
            "configuration": {"sourceType": "gong", "access_key": "k", "access_key_secret": "s"},
        },
    )

    with pytest.raises(AirbyteProviderError, match=r"cannot adopt .* it is a 'gong' source, not 'hubspot'"):
        provider_for(SOURCE).create(props)
    assert len(airbyte.named("sources", props[NAME])) == 1


def test_the_fake_server_listens_on_loopback_only(airbyte: FakeAirbyte) -> None:
    assert airbyte.address[0] == LOOPBACK
