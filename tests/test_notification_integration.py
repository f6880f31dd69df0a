"""The alert webhook's credential split into URL template and secret, and the integration's statements."""

import json
import re

import pytest

from catalog.notification_integration import webhook_integration, webhook_target
from catalog.sql_files import SqlTemplateError, render_sql
from models.enums import AlertChannel

SECRET = "DB.SOPHIA_OPS.QUALITY_ALERTS_WEBHOOK"


@pytest.mark.parametrize(
    ("channel", "credential", "template", "secret"),
    [
        (
            AlertChannel.SLACK,
            "https://hooks.slack.com/services/T0000/B0000/abcdefgh",
            "https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET",
            "T0000/B0000/abcdefgh",
        ),
        # Snowflake wants the port left out of a Teams URL.
        (
            AlertChannel.TEAMS,
            "https://prod-01.westus.logic.azure.com:443/workflows/abc123/triggers/manual?sig=xyz789",
            "https://prod-01.westus.logic.azure.com/workflows/SNOWFLAKE_WEBHOOK_SECRET",
            "abc123/triggers/manual?sig=xyz789",
        ),
        (
            AlertChannel.TEAMS,
            "https://default0a1b2c.0a.environment.api.powerplatform.com/powerautomate/automations/direct/"
            "workflows/0123abcd/triggers/manual/paths/invoke",
            "https://default0a1b2c.0a.environment.api.powerplatform.com/powerautomate/automations/direct/"
            "workflows/SNOWFLAKE_WEBHOOK_SECRET",
            "0123abcd/triggers/manual/paths/invoke",
        ),
        (
            AlertChannel.PAGERDUTY,
            "R0UTINGKEY0123456789",
            "https://events.pagerduty.com/v2/enqueue",
            "R0UTINGKEY0123456789",
        ),
    ],
)
def test_the_secret_is_what_snowflake_puts_in_place_of_its_placeholder(
    channel, credential, template, secret
) -> None:
    target = webhook_target(channel, credential)
    assert (target.url_template, target.secret) == (template, secret)
    if channel is not AlertChannel.PAGERDUTY:  # its key travels in the body, not the URL
        assert template.replace("SNOWFLAKE_WEBHOOK_SECRET", secret) == credential.replace(":443", "")


@pytest.mark.parametrize(
    ("channel", "credential", "message"),
    [
        (
            AlertChannel.SLACK,
            "https://hooks.example.com/services/T0/B0/hidden-1",
            "starts with https://hooks.slack.com",
        ),
        (AlertChannel.TEAMS, "https://evil.example.com/workflows/hidden-2", "Teams workflow webhook URL is"),
        (AlertChannel.SLACK, "https://hooks.slack.com/services/hidden'3", "letters, digits"),
        (AlertChannel.PAGERDUTY, "short", "8 to 2048 characters"),
    ],
)
def test_a_credential_of_the_wrong_shape_is_refused_without_echoing_it(channel, credential, message) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        webhook_target(channel, credential)
    assert credential not in str(refused.value) and "hidden" not in str(refused.value)


@pytest.mark.parametrize("channel", [AlertChannel.SLACK, AlertChannel.TEAMS, AlertChannel.PAGERDUTY])
def test_each_integration_names_the_secret_and_posts_json_with_the_message_placeholder(channel) -> None:
    credential = {
        AlertChannel.SLACK: "https://hooks.slack.com/services/T0/B0/abcdefgh",
        AlertChannel.TEAMS: "https://prod-01.westus.logic.azure.com/workflows/abcdefgh",
        AlertChannel.PAGERDUTY: "R0UTINGKEY0123456789",
    }[channel]
    target = webhook_target(channel, credential)
    statements = webhook_integration("SOPHIA_AI_QUALITY_ALERTS", SECRET, target)
    create = statements.create
    assert "CREATE NOTIFICATION INTEGRATION SOPHIA_AI_QUALITY_ALERTS" in create and "OR REPLACE" not in create
    assert f"WEBHOOK_URL = '{target.url_template}'" in create and f"WEBHOOK_SECRET = {SECRET}" in create
    assert "WEBHOOK_HEADERS = ('Content-Type' = 'application/json')" in create
    assert target.secret not in create
    (body,) = re.findall(r"WEBHOOK_BODY_TEMPLATE = '([^']*)'", create)
    assert "SNOWFLAKE_WEBHOOK_MESSAGE" in json.dumps(json.loads(body))  # the template is JSON
    if channel is AlertChannel.PAGERDUTY:
        assert json.loads(body)["routing_key"] == "SNOWFLAKE_WEBHOOK_SECRET"
    assert statements.drop == "DROP NOTIFICATION INTEGRATION IF EXISTS SOPHIA_AI_QUALITY_ALERTS"
    assert statements.show.startswith("SHOW NOTIFICATION INTEGRATIONS LIKE 'SOPHIA_AI_QUALITY_ALERTS'")


def test_a_webhook_url_slot_takes_only_a_url_ending_in_the_placeholder() -> None:
    for url in (
        "https://a.b/c/secret",
        "https://a.b/x'/SNOWFLAKE_WEBHOOK_SECRET",
        "http://a.b/SNOWFLAKE_WEBHOOK_SECRET",
    ):
        with pytest.raises(SqlTemplateError, match="ending in /SNOWFLAKE_WEBHOOK_SECRET"):
            render_sql("quality_gate/integrations/teams.sql", integration="I", secret="S", webhook_url=url)
