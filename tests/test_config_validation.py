"""Bad stack config stops the program before any resource is declared, naming the key and what is allowed."""

import pytest

from tests.harness import DELETE, assert_config_refused, declared_resources, failed_plan

NS = "sophia-data-platform:"

BAD_CONFIGS = {
    "wrong warehouse size": (
        {"warehouses.ANALYTICS.size": "HUGE"},
        [f"{NS}warehouses.ANALYTICS.size", "'XSMALL'", "'X6LARGE'", "given: 'HUGE'"],
    ),
    "unknown top-level key": (
        {"warehouse": {"size": "SMALL"}},
        [f"{NS}warehouse", "unknown key", "warehouses"],
    ),
    "unknown nested key": (
        {"warehouses.ETL.autoSuspend": 60},
        [f"{NS}warehouses.ETL.autoSuspend", "unknown key", "autoSuspendSeconds"],
    ),
    "malicious database name": (
        {"database.name": 'SOPHIA"; DROP DATABASE PROD; --'},
        [f"{NS}database.name", "upper-case Snowflake identifier", "DROP DATABASE"],
    ),
    "lower-case identifier": (
        {"namePrefix": "sophia"},
        [f"{NS}namePrefix", "upper-case Snowflake identifier"],
    ),
    "quote in a comment": (
        {"database.comment": "it's ok'); DROP TABLE X; --"},
        [f"{NS}database.comment", "may only hold letters"],
    ),
    "malicious source name": (
        {"sources": ["GONG", "X.Y"]},
        [f"{NS}sources.1", "upper-case Snowflake identifier"],
    ),
    "unknown environment": ({"environment": "qa"}, [f"{NS}environment", "'dev'", "'prod'", "given: 'qa'"]),
    "unknown warehouse purpose": (
        {"warehouses.BATCH": {"size": "SMALL", "monthlyCreditQuota": 1}},
        [f"{NS}warehouses.BATCH", "'ANALYTICS'", "'REALTIME'"],
    ),
    "missing warehouse": ({"warehouses.ML": DELETE}, [f"{NS}warehouses: missing ['ML']"]),
    "auto-suspend too long": (
        {"warehouses.ETL.autoSuspendSeconds": 86400},
        [f"{NS}warehouses.ETL.autoSuspendSeconds", "less than or equal to 3600", "given: 86400"],
    ),
    "zero credit quota": (
        {"warehouses.ETL.monthlyCreditQuota": 0},
        [f"{NS}warehouses.ETL.monthlyCreditQuota", "greater than 0"],
    ),
    "clusters out of order": (
        {"warehouses.ANALYTICS.minClusterCount": 3, "warehouses.ANALYTICS.maxClusterCount": 2},
        [f"{NS}warehouses.ANALYTICS", "minClusterCount (3) must not exceed maxClusterCount (2)"],
    ),
    "unknown scaling policy": (
        {"warehouses.ANALYTICS.scalingPolicy": "FAST"},
        [f"{NS}warehouses.ANALYTICS.scalingPolicy", "'STANDARD'", "'ECONOMY'"],
    ),
    "retention above Snowflake's maximum": (
        {"database.criticalRetentionDays": 365},
        [f"{NS}database.criticalRetentionDays", "less than or equal to 90"],
    ),
    "zero retention": (
        {"database.retentionDays": 0},
        [f"{NS}database.retentionDays", "greater than or equal to 1"],
    ),
    "critical retention below default": (
        {"database.retentionDays": 7, "database.criticalRetentionDays": 3},
        [f"{NS}database", "criticalRetentionDays (3) must be at least retentionDays (7)"],
    ),
    "monitor thresholds out of order": (
        {"resourceMonitors": {"notifyAtPercent": [90, 50]}},
        [f"{NS}resourceMonitors", "strictly ascending"],
    ),
    "suspend-immediately not above suspend": (
        {"resourceMonitors": {"suspendAtPercent": 100, "suspendImmediatelyAtPercent": 100}},
        [f"{NS}resourceMonitors", "suspendImmediatelyAtPercent (100) must be above suspendAtPercent (100)"],
    ),
    "duplicate source": (
        {"sources": ["GONG", "GONG"]},
        [f"{NS}sources: sources ['GONG'] are listed more than once"],
    ),
    "unknown authenticator": (
        {"snowflakeAccount.authenticator": "SNOWFLAKE"},
        [f"{NS}snowflakeAccount.authenticator", "'PROGRAMMATIC_ACCESS_TOKEN'", "'SNOWFLAKE_JWT'"],
    ),
    "key-pair auth without a key": (
        {"snowflakeAccount.authenticator": "SNOWFLAKE_JWT"},
        [
            f"{NS}snowflakeAccount.authenticator is SNOWFLAKE_JWT",
            "snowflakePrivateKey must be set",
            "pulumi config set --secret snowflakePrivateKey",
        ],
    ),
    "missing database": ({"database": DELETE}, [f"{NS}database", "is required"]),
    "warehouse size not text": (
        {"warehouses.REALTIME.size": 3},
        [f"{NS}warehouses.REALTIME.size", "'XSMALL'"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS), ids=str)
def test_bad_config_stops_before_any_resource(case: str) -> None:
    assert_config_refused("dev", *BAD_CONFIGS[case])


def test_every_problem_is_reported_at_once() -> None:
    failure = failed_plan("dev", {"warehouses.ETL.size": "HUGE", "database.name": "bad name"})
    lines = str(failure.cause).splitlines()
    assert any(line.startswith(f"{NS}warehouses.ETL.size") for line in lines)
    assert any(line.startswith(f"{NS}database.name") for line in lines)


def test_secret_given_in_clear_is_rejected_without_echoing_it() -> None:
    failure = failed_plan(
        "dev", {"snowflakeToken": "tok-in-clear-123"}, in_clear=frozenset({"snowflakeToken"})
    )
    message = str(failure.cause)
    assert f"{NS}snowflakeToken: must be a secret" in message
    assert "tok-in-clear-123" not in message
    assert declared_resources(failure) == []


def test_invalid_secret_value_is_not_echoed() -> None:
    failure = failed_plan("dev", {"snowflakeToken": ["tok-fragment-456"]})
    message = str(failure.cause)
    assert message.startswith(f"{NS}snowflakeToken:")
    assert "tok-fragment-456" not in message
