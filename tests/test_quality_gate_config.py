"""A bad qualityGate or alert credential stops the program before any resource, naming the key and what is allowed."""

import pytest

from offline.stack_files import EscSecret
from tests.harness import DELETE, assert_config_refused, declared_resources, failed_plan

NS = "sophia-data-platform:"
SECRET_URL = "https://example.invalid/hooks/secret-789"

BAD_CONFIGS = {
    "unknown alert kind": (
        {"qualityGate.alerts.notify.kind": "carrier-pigeon"},
        [
            f"{NS}qualityGate.alerts.notify.kind",
            "'carrier-pigeon'",
            "'slack'",
            "'teams'",
            "'pagerduty'",
            "'email'",
        ],
    ),
    "unknown gate compute": (
        {"qualityGate.warehouse": "ML"},
        [f"{NS}qualityGate.warehouse", "given: 'ML'", "'SERVERLESS'", "'ETL'"],
    ),
    # pulumi-snowflake's Alert always names a warehouse.
    "serverless alerts": (
        {"qualityGate.alerts.warehouse": "SERVERLESS"},
        [f"{NS}qualityGate.alerts.warehouse", "'SERVERLESS'", "'ANALYTICS'", "'REALTIME'"],
    ),
    "hold shorter than a run": (
        {"qualityGate.settleMinutes": 60, "qualityGate.maxHoldMinutes": 30},
        [f"{NS}qualityGate", "maxHoldMinutes (30) must be at least settleMinutes (60)"],
    ),
    "timeout beyond a day": (
        {"qualityGate.settleMinutes": 2000},
        [f"{NS}qualityGate.settleMinutes", "less than or equal to 1440"],
    ),
    "schedule that is no schedule": (
        {"qualityGate.schedule": "after the sync"},
        [f"{NS}qualityGate.schedule", "is not a Snowflake task schedule", "USING CRON"],
    ),
    "alert interval of a day": (
        {"qualityGate.alerts.schedule": "24 HOURS"},
        [f"{NS}qualityGate.alerts.schedule", "below 1440 minutes"],
    ),
    "alert in seconds": (
        {"qualityGate.alerts.schedule": "90 SECONDS"},
        [f"{NS}qualityGate.alerts.schedule", "whole number of minutes"],
    ),
    "e-mail without recipients": (
        {"qualityGate.alerts.notify": {"kind": "email"}, "qualityGateSecrets": DELETE},
        [f"{NS}qualityGate.alerts.notify", "kind 'email' needs recipients"],
    ),
    "e-mail to something else": (
        {"qualityGate.alerts.notify": {"kind": "email", "recipients": ["ops"]}, "qualityGateSecrets": DELETE},
        [f"{NS}qualityGate.alerts.notify.recipients.0", "'ops' is not an e-mail address"],
    ),
    "recipients for a webhook": (
        {"qualityGate.alerts.notify.recipients": ["ops@example.com"]},
        [f"{NS}qualityGate.alerts.notify", "kind 'slack' posts to a webhook", "remove them"],
    ),
    "webhook without its credential": (
        {"qualityGateSecrets": DELETE},
        [f"{NS}", "kind is 'slack'", "qualityGateSecrets.webhookUrl must be set", "--secret --path"],
    ),
    "pagerduty given a url": (
        {"qualityGate.alerts.notify.kind": "pagerduty"},
        [f"{NS}", "qualityGateSecrets sets ['webhookUrl']", "takes ['routingKey']"],
    ),
    "gate missing though Airbyte ingests": (
        {"qualityGate": DELETE, "qualityGateSecrets": DELETE},
        [f"{NS}", "airbyte is configured, so qualityGate must be set"],
    ),
    "unknown gate key": (
        {"qualityGate.timeout": 5},
        [f"{NS}qualityGate.timeout", "unknown key", "settleMinutes"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS), ids=str)
def test_bad_gate_config_stops_before_any_resource(case: str) -> None:
    assert_config_refused("dev", *BAD_CONFIGS[case])


def test_a_webhook_url_of_another_service_is_refused_without_echoing_it() -> None:
    failure = failed_plan("dev", {"qualityGateSecrets": EscSecret({"webhookUrl": SECRET_URL})})
    message = str(failure.cause)
    assert (
        "qualityGateSecrets.webhookUrl: a Slack webhook URL starts with https://hooks.slack.com/services/"
        in message
    )
    assert "value not shown: it is a secret" in message
    assert "secret-789" not in message
    assert declared_resources(failure) == []


def test_the_webhook_credential_given_in_clear_is_refused_without_echoing_it() -> None:
    clear = {"webhookUrl": "https://hooks.slack.com/services/T0/B0/in-clear-321"}
    failure = failed_plan("dev", {"qualityGateSecrets": clear}, in_clear=frozenset({"qualityGateSecrets"}))
    message = str(failure.cause)
    assert f"{NS}qualityGateSecrets: must be a secret" in message
    assert "in-clear-321" not in message
    assert declared_resources(failure) == []


def test_a_malformed_credential_is_not_echoed() -> None:
    failure = failed_plan("dev", {"qualityGateSecrets": EscSecret({"webhookUrl": ["fragment-654"]})})
    message = str(failure.cause)
    assert f"{NS}qualityGateSecrets.webhookUrl" in message
    assert "fragment-654" not in message
