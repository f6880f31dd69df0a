"""The webhook notification integration the gate's alerts send through: its secret and its statements."""

# pulumi-snowflake has no resource for webhook notification integrations (its notification_integration
# resource covers queues only), so the stack creates one with Execute: these are the statements it runs.

import re
from dataclasses import dataclass

from catalog.sql_files import render_sql
from models.enums import AlertChannel

SECRET_PLACEHOLDER = "SNOWFLAKE_WEBHOOK_SECRET"
_SLACK_PREFIX = "https://hooks.slack.com/services/"
# The Teams workflow URLs Snowflake accepts, the port omitted (CREATE NOTIFICATION INTEGRATION (webhooks),
# WEBHOOK_URL): Workflows on Azure Logic Apps, and Power Automate's direct workflow URL.
_TEAMS_URL = re.compile(
    r"^https://(?P<base>[a-z0-9-]+\.[a-z0-9-]+\.logic\.azure\.com(?::443)?/workflows"
    r"|default[a-z0-9]+\.[a-z0-9-]+\.environment\.api\.powerplatform\.com(?::443)?"
    r"/powerautomate/automations/direct/workflows)/(?P<secret>.+)$"
)
# What a secret may hold: Snowflake writes it into the request's URL or JSON body as it is.
_SECRET_TEXT = re.compile(r"^[A-Za-z0-9_\-/.~%?&=+:]{8,2048}$")


@dataclass(frozen=True)
class WebhookTarget:
    """Where a webhook integration posts: the URL with the secret's placeholder, and the secret."""

    channel: AlertChannel
    url_template: str
    secret: str


def webhook_target(channel: AlertChannel, credential: str) -> WebhookTarget:
    """Splits a Slack or Teams webhook URL into URL template and secret; PagerDuty's credential is its key.

    Messages never name the credential: it is the secret.
    """
    match channel:
        case AlertChannel.SLACK:
            if not credential.startswith(_SLACK_PREFIX):
                raise ValueError(f"a Slack webhook URL starts with {_SLACK_PREFIX}")
            template, secret = f"{_SLACK_PREFIX}{SECRET_PLACEHOLDER}", credential.removeprefix(_SLACK_PREFIX)
        case AlertChannel.TEAMS:
            found = _TEAMS_URL.fullmatch(credential)
            if found is None:
                raise ValueError(
                    "a Teams workflow webhook URL is https://<host>.<region>.logic.azure.com/workflows/... or "
                    "https://default<id>.<nn>.environment.api.powerplatform.com/powerautomate/automations/"
                    "direct/workflows/..."
                )
            base = found["base"].replace(":443", "")  # Snowflake wants the port left out
            template, secret = f"https://{base}/{SECRET_PLACEHOLDER}", found["secret"]
        case AlertChannel.PAGERDUTY:
            template, secret = "https://events.pagerduty.com/v2/enqueue", credential
        case AlertChannel.EMAIL:
            raise ValueError("e-mail alerts go to recipients, not to a webhook")
    if not _SECRET_TEXT.fullmatch(secret):
        raise ValueError(
            "the webhook secret must be 8 to 2048 characters of letters, digits and _ - / . ~ % ? & = + : only"
        )
    return WebhookTarget(channel, template, secret)


@dataclass(frozen=True)
class IntegrationStatements:
    """What the Execute resource runs: create, the revert on destroy, and the read on refresh."""

    create: str
    drop: str
    show: str


def webhook_integration(integration: str, secret: str, target: WebhookTarget) -> IntegrationStatements:
    """CREATE NOTIFICATION INTEGRATION ... TYPE = WEBHOOK for the target's service, and its revert and read."""
    files = {
        AlertChannel.SLACK: "quality_gate/integrations/slack.sql",
        AlertChannel.TEAMS: "quality_gate/integrations/teams.sql",
        AlertChannel.PAGERDUTY: "quality_gate/integrations/pagerduty.sql",
    }
    names = {"integration": integration, "secret": secret}
    create = render_sql(files[target.channel], **names, webhook_url=target.url_template)
    return IntegrationStatements(
        create=create,
        drop=render_sql("quality_gate/integrations/drop_integration.sql", integration=integration),
        show=render_sql("quality_gate/integrations/show_integration.sql", integration=integration),
    )
