"""A bad qualityGate or alert credential stops the program before any resource, naming the key and what is allowed."""

import ast
import json

import pytest

from offline.stack_files import EscSecret
from tests.harness import DELETE, assert_config_refused, declared_resources, failed_plan, plan_stack

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
    "no delete allowed at all": (
        {"qualityGate.maxDeleteShare": 0},
        [f"{NS}qualityGate.maxDeleteShare", "greater than 0"],
    ),
    "delete share above one": (
        {"qualityGate.maxDeleteShare": 1.5},
        [f"{NS}qualityGate.maxDeleteShare", "less than or equal to 1"],
    ),
    "negative overlap window": (
        {"qualityGate.overlapMinutes": -5},
        [f"{NS}qualityGate.overlapMinutes", "greater than or equal to 0"],
    ),
    "overlap window beyond a day": (
        {"qualityGate.overlapMinutes": 2880},
        [f"{NS}qualityGate.overlapMinutes", "less than or equal to 1440"],
    ),
    "unknown meta check severity": (
        {"qualityGate.airbyteMetaSeverity": "fatal"},
        [f"{NS}qualityGate.airbyteMetaSeverity", "'fatal'", "'error'", "'warn'"],
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


def test_the_gates_own_settings_reach_every_gate_procedure() -> None:
    settings = {
        "qualityGate.maxDeleteShare": 0.25,
        "qualityGate.overlapMinutes": 5,
        "qualityGate.airbyteMetaSeverity": "warn",
    }
    procedures = [
        resource
        for resource in plan_stack("dev", settings).of_type("snowflake:index/procedurePython:ProcedurePython")
        if resource.inputs["name"].startswith("QUALITY_GATE_")
    ]
    assert procedures
    for procedure in procedures:
        plan = _plan_of(procedure.inputs["procedure_definition"])
        assert (plan["max_delete_share"], plan["overlap_ns"]) == (0.25, 5 * 60 * 10**9)
        meta = [
            check
            for stream in plan["streams"]
            for check in stream["checks"]
            if check["type"] == "airbyte_meta"
        ]
        assert meta and {check["severity"] for check in meta} == {"warn"}


def _plan_of(body: str) -> dict:
    """The rendered plan a procedure body carries: `PLAN = json.loads('<json>')`."""
    for node in ast.parse(body).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["PLAN"]:
            return json.loads(ast.literal_eval(node.value.args[0]))
    raise AssertionError("no PLAN in the procedure body")
