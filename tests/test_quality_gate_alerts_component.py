"""The data-quality gate's alerts as the stacks declare them: the integration they notify, their conditions,
what they wait for, and e-mail instead of a webhook."""

import pytest

from catalog.notification_integration import webhook_integration, webhook_target
from catalog.quality_gate.alerts import gate_alerts
from models.enums import AlertChannel
from tests.harness import DELETE, Plan
from tests.quality_gate_plan import (
    ALERT,
    EMAIL,
    EXECUTE,
    NAMING,
    SECRET,
    SLACK_STAND_IN,
    VIEW,
    account_grant,
    gate_objects,
    gate_owner,
    gate_resources,
)


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> tuple[str, Plan]:
    return request.param, {"dev": dev_plan, "prod": prod_plan}[request.param]


def test_the_webhook_integration_is_created_by_the_owner_with_a_revert_and_a_read(stack) -> None:
    name, plan = stack
    (integration,) = gate_resources(plan, EXECUTE)
    channel, credential = {
        "dev": (AlertChannel.SLACK, SLACK_STAND_IN),
        "prod": (AlertChannel.PAGERDUTY, "offline-stand-in"),
    }[name]
    target = webhook_target(channel, credential)
    statements = webhook_integration(
        NAMING[name].alert_integration(), f"{NAMING[name].database}.SOPHIA_OPS.QUALITY_ALERTS_WEBHOOK", target
    )
    assert (integration.inputs["execute"], integration.inputs["revert"], integration.inputs["query"]) == (
        statements.create,
        statements.drop,
        statements.show,
    )
    assert (
        integration.inputs["revert"]
        == f"DROP NOTIFICATION INTEGRATION IF EXISTS {NAMING[name].alert_integration()}"
    )
    # The owner holds CREATE INTEGRATION from SECURITYADMIN: no ACCOUNTADMIN, and it owns what it uses.
    assert integration.provider_role == gate_owner(name)
    (secret,) = gate_resources(plan, SECRET)
    assert secret.provider_role == gate_owner(name) and repr(secret.inputs["secret_string"]) == "Secret(***)"
    assert {secret.urn, account_grant(plan, "CREATE INTEGRATION").urn} <= set(integration.dependencies)
    assert integration.delete_before_replace is True  # its revert must not drop the re-created integration
    # The credential never reaches the statement: only the placeholder does.
    assert target.secret not in statements.create and "SNOWFLAKE_WEBHOOK_SECRET" in statements.create


def test_three_alerts_carry_the_rendered_conditions_and_wait_for_what_they_use(stack) -> None:
    name, plan = stack
    alerts = {a.inputs["name"]: a for a in gate_resources(plan, ALERT)}
    channel = {"dev": AlertChannel.SLACK, "prod": AlertChannel.PAGERDUTY}[name]
    specs = gate_alerts(
        gate_objects(name),
        NAMING[name].alert_integration(),
        15,
        {"dev": 720, "prod": 240}[name],
        f"{NAMING[name].database}.SOPHIA_OPS.EMBEDDING_FRESHNESS",
        channel=channel,
    )
    assert sorted(alerts) == sorted(spec.name for spec in specs)
    warehouse = {"dev": "SOPHIA_AI_DEV_ETL_WH", "prod": "SOPHIA_AI_REALTIME_WH"}[name]
    schedule = {"dev": "50 */12 * * *", "prod": "50 * * * *"}[name]
    (integration,) = gate_resources(plan, EXECUTE)
    freshness = plan.named(VIEW, "EMBEDDING_FRESHNESS")
    for spec in specs:
        alert = alerts[spec.name]
        assert (alert.inputs["condition"], alert.inputs["action"]) == (spec.condition, spec.action)
        assert alert.provider_role == gate_owner(name) and alert.inputs["enabled"] is True
        assert alert.inputs["warehouse"] == warehouse
        assert alert.inputs["alert_schedule"] == {"cron": {"expression": schedule, "time_zone": "UTC"}}
        waits = set(alert.dependencies)
        assert {integration.urn, account_grant(plan, "EXECUTE ALERT").urn, freshness.urn} <= waits


def test_email_alerts_use_an_email_integration_and_no_secret(planner) -> None:
    recipients = ["data-team@example.com"]
    plan = planner(
        "dev",
        {
            "qualityGate.alerts.notify": {"kind": "email", "recipients": recipients},
            "qualityGateSecrets": DELETE,
        },
    )
    (integration,) = gate_resources(plan, EMAIL)
    assert integration.inputs["allowed_recipients"] == recipients and integration.inputs["enabled"] is True
    assert integration.provider_role == gate_owner("dev")
    assert gate_resources(plan, EXECUTE) == [] and gate_resources(plan, SECRET) == []
    for alert in gate_resources(plan, ALERT):
        assert "SANITIZE_WEBHOOK_CONTENT" not in alert.inputs["action"]
        assert integration.urn in alert.dependencies
