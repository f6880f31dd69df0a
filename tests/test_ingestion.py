"""Airbyte ingestion from the plan: destination, a source and a connection per system, notifications, secrets."""

import json

import pytest

from policies.sophia_policies.access_graph import build_access_graph
from tests.harness import DELETE, Plan, declared_resources, failed_plan

CONNECTION = "pulumi-python:dynamic/airbyte:Connection"
DESTINATION = "pulumi-python:dynamic/airbyte:Destination"
SOURCE = "pulumi-python:dynamic/airbyte:Source"
NOTIFICATIONS = "pulumi-python:dynamic/airbyte:WorkspaceNotifications"
USER = "snowflake:index/serviceUser:ServiceUser"
NS = "sophia-data-platform:"


def _configuration(resource) -> dict:
    return json.loads(resource.inputs["configuration"])


@pytest.mark.parametrize(("stack", "sources"), [("dev", 3), ("prod", 5)])
def test_one_source_and_connection_per_system(
    stack: str, sources: int, dev_plan: Plan, prod_plan: Plan
) -> None:
    plan = {"dev": dev_plan, "prod": prod_plan}[stack]
    assert len(plan.of_type(SOURCE)) == len(plan.of_type(CONNECTION)) == sources
    assert len(plan.of_type(DESTINATION)) == len(plan.of_type(NOTIFICATIONS)) == 1


def test_connections_follow_the_standard(any_plan: Plan) -> None:
    raw_schemas = {s.urn: s.inputs["name"] for s in any_plan.of_type("snowflake:index/schema:Schema")}
    for connection in any_plan.of_type(CONNECTION):
        configuration = _configuration(connection)
        assert configuration["schedule"] == {"scheduleType": "cron", "cronExpression": "0 0 * * * ?"}
        assert configuration["namespaceDefinition"] == "custom_format"
        assert configuration["namespaceFormat"].endswith("_DATA_RAW")
        assert configuration["status"] == "active"
        assert configuration["nonBreakingSchemaUpdatesBehavior"] == "propagate_fully"
        for stream in configuration["configurations"]["streams"]:
            assert stream["syncMode"] == "incremental_deduped_history"
            assert stream["cursorField"] and stream["primaryKey"]
        depends_on = {raw_schemas.get(urn) for urn in connection.dependencies}
        assert configuration["namespaceFormat"] in depends_on
        grants = [any_plan.by_urn(urn) for urn in connection.dependencies if "grant" in urn]
        assert any(g.inputs.get("parent_role_name", "").endswith("_ETL_ROLE") for g in grants)
        assert any(g.inputs.get("user_name", "").endswith("_AIRBYTE_SVC") for g in grants)


def test_destination_signs_in_as_the_airbyte_user_by_key_pair(dev_plan: Plan) -> None:
    (destination,) = dev_plan.of_type(DESTINATION)
    configuration = _configuration(destination)
    assert configuration["credentials"] == {"auth_type": "Key Pair Authentication"}
    assert (configuration["role"], configuration["warehouse"], configuration["username"]) == (
        "SOPHIA_AI_DEV_ETL_ROLE",
        "SOPHIA_AI_DEV_ETL_WH",
        "SOPHIA_AI_DEV_AIRBYTE_SVC",
    )
    assert "host" not in configuration and "private_key" not in json.dumps(configuration)
    waits_for = [dev_plan.by_urn(urn) for urn in destination.dependencies]
    role_grant = next(r for r in waits_for if r.type == "snowflake:index/grantAccountRole:GrantAccountRole")
    assert (role_grant.inputs["user_name"], role_grant.inputs["role_name"]) == (
        "SOPHIA_AI_DEV_AIRBYTE_SVC",
        "SOPHIA_AI_DEV_ETL_ROLE",
    )


# What the Snowflake destination runs in the schemas it writes (airbyte destination-snowflake:
# SnowflakeAirbyteClient, SnowflakeDirectLoadSqlGenerator): an existence check, then CREATE OR REPLACE FILE
# FORMAT, CREATE TABLE and CREATE STAGE, then COPY, INSERT, MERGE, SWAP WITH and DROP on the tables it
# created, which it owns, so they need no grant.
CONNECTOR_NEEDS = {"USAGE", "CREATE FILE FORMAT", "CREATE TABLE", "CREATE STAGE"}


def test_destination_keeps_its_own_tables_in_the_declared_internal_schema(any_plan: Plan) -> None:
    """`raw_data_schema` names a schema the stack declares, which ETL writes, APP never sees, syncs wait for."""
    (destination,) = any_plan.of_type(DESTINATION)
    configuration = _configuration(destination)
    internal = configuration["raw_data_schema"]
    schema = any_plan.named("snowflake:index/schema:Schema", internal)
    assert schema.inputs["database"] == configuration["database"]
    qualified = f"{configuration['database']}.{internal}"

    graph = build_access_graph((r.type, r.raw_inputs) for r in any_plan.resources)
    etl = graph.effective_schema_privileges(configuration["role"])[qualified]
    assert etl == CONNECTOR_NEEDS  # not the OWNERSHIP Airbyte's guide hands out, nor CREATE VIEW
    app_role = next(
        u.inputs["default_role"] for u in any_plan.of_type(USER) if u.inputs["name"].endswith("_APP_SVC")
    )
    assert qualified not in graph.effective_schema_privileges(app_role)

    for connection in any_plan.of_type(CONNECTION):
        waits_for = [any_plan.by_urn(urn) for urn in connection.dependencies]
        assert any(
            r.inputs.get("database_role_name") == f'"{configuration["database"]}"."{internal}_LOAD"'
            and r.inputs.get("parent_role_name") == configuration["role"]
            for r in waits_for
        ), connection.name


def test_credentials_are_secrets(any_plan: Plan) -> None:
    for resource_type in (SOURCE, DESTINATION, CONNECTION, NOTIFICATIONS):
        for resource in any_plan.of_type(resource_type):
            assert str(resource.inputs["api_credentials"]) == "Secret(***)"
            assert str(resource.inputs["secret_configuration"]) == "Secret(***)"


def test_each_sync_event_posts_to_its_own_secret_webhook(any_plan: Plan) -> None:
    (notifications,) = any_plan.of_type(NOTIFICATIONS)
    assert _configuration(notifications) == {
        "success": {"webhook": {"enabled": True}},
        "failure": {"webhook": {"enabled": True}},
    }
    assert "url" not in notifications.inputs["configuration"]


BAD_INPUTS = {
    "unknown source type": (
        {"airbyte.sources.GONG.sourceType": "gongg"},
        f"{NS}airbyte.sources.GONG.sourceType: sourceType 'gongg' is not allowed",
    ),
    "deduped stream without a cursor": (
        {"airbyte.sources.GONG.streams": [{"name": "calls", "primaryKey": [["id"]]}]},
        "needs cursorField and primaryKey; missing cursorField",
    ),
    "cron that is not Quartz": (
        {"airbyte.schedule": {"cron": "0 * * * *"}},
        "is not a valid Quartz cron expression",
    ),
    "namespace that is not the RAW schema": (
        {"airbyte.sources.GONG.namespace": "GONG_DATA"},
        "sources.GONG.namespace 'GONG_DATA' is not allowed",
    ),
    "sources that leave out an ingested source": (
        {"sources": ["GONG", "HUBSPOT"]},
        f"{NS}sources ['GONG', 'HUBSPOT'] and airbyte.sources ['GONG', 'HUBSPOT', 'SLACK'] differ",
    ),
    "sources that add one Airbyte does not ingest": (
        {"sources": ["GONG", "HUBSPOT", "SLACK", "ZENDESK"]},
        f"{NS}sources ['GONG', 'HUBSPOT', 'SLACK', 'ZENDESK'] and airbyte.sources ['GONG', 'HUBSPOT', 'SLACK'] differ",
    ),
    "credential typed in clear": (
        {"airbyte.sources.GONG.credentials": {"access_key": "typed-in-clear", "access_key_secret": "x"}},
        "airbyte.sources.GONG.credentials.access_key must be a Pulumi secret but was given in clear",
    ),
    "one webhook for every event": (
        {"airbyteSecrets.notifications": {"webhookUrl": "https://hooks.example.invalid/typed-in-clear"}},
        f"{NS}airbyteSecrets.notifications.webhookUrl: unknown key; allowed keys here: failure, success",
    ),
    "an event without its webhook": (
        {"airbyteSecrets.notifications.failure": {}},
        f"{NS}airbyteSecrets.notifications.failure.webhookUrl: is required but not set",
    ),
    "airbyte without its service user": (
        {"serviceUsers.AIRBYTE": DELETE},
        "serviceUsers must declare AIRBYTE",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS), ids=str)
def test_bad_airbyte_config_stops_before_any_resource(case: str) -> None:
    overrides, expected = BAD_INPUTS[case]
    failure = failed_plan("dev", overrides)
    assert expected in str(failure.cause), str(failure.cause)
    assert "typed-in-clear" not in str(failure.cause)
    assert declared_resources(failure) == []


def test_airbyte_secrets_given_in_clear_are_refused() -> None:
    failure = failed_plan(
        "dev",
        {"airbyteSecrets": {"apiCredentials": {"bearerToken": "tok-in-clear"}}},
        in_clear=frozenset({"airbyteSecrets"}),
    )
    assert f"{NS}airbyteSecrets: must be a secret" in str(failure.cause)
    assert "tok-in-clear" not in str(failure.cause)
