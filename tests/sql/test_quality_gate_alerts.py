"""The gate's alert conditions return rows exactly when the alert should fire; the action reports those rows."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from catalog.quality_gate.alerts import AlertSpec, GateAlert, gate_alerts
from models.enums import AlertChannel
from tests.sql import shims
from tests.sql.harness import SCHEMAS
from tests.sql.quality_gate_harness import OBJECTS, GateWarehouse, RawStream

SETTLE, MAX_HOLD = 15, 120


def _alerts(channel: AlertChannel) -> dict[str, AlertSpec]:
    specs = gate_alerts(
        OBJECTS,
        "SOPHIA_AI_TEST_ALERTS",
        SETTLE,
        MAX_HOLD,
        f"{SCHEMAS.ops}.EMBEDDING_FRESHNESS",
        channel=channel,
    )
    return {alert.name: alert for alert in specs}


ALERTS = _alerts(AlertChannel.EMAIL)
WEBHOOK_ALERTS = _alerts(AlertChannel.SLACK)
GOOD = {"STARTED": "2024-05-01T10:00:00+00:00", "DIRECTION": "Inbound", "SCOPE": "External"}


def _fires(gate: GateWarehouse, alert: GateAlert, last: datetime | None, scheduled: datetime) -> list[dict]:
    """The alert's condition, evaluated as if scheduled at `scheduled` after a success at `last`."""
    shims.set_alert_schedule(gate.duck, last, scheduled)
    return gate.execute(ALERTS[alert.value].condition)


def _settled(at: datetime) -> datetime:
    """The earliest schedule whose window includes a row written at `at`."""
    return at + timedelta(minutes=SETTLE)


def test_a_held_batch_fires_once_and_its_re_checks_do_not(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync({"ID": "c1", **GOOD, "DIRECTION": "Sideways"})
    gate.run()
    first = gate.batches()[-1]["STARTED_AT"]
    gate.run()  # the same held rows, checked again
    again = gate.batches()[-1]["STARTED_AT"]

    fired = _fires(gate, GateAlert.NEW_FAILURES, first - timedelta(minutes=SETTLE + 1), _settled(again))
    assert [(row["STREAM"], row["PROBLEM"], row["SEVERITY"], row["DETAIL"]) for row in fired] == [
        ("CALLS", "accepted_values(DIRECTION)", "error", "1 of 1 rows")
    ]
    later_window = _fires(gate, GateAlert.NEW_FAILURES, _settled(first), _settled(again))
    assert later_window == []  # the re-check alone is not news


def test_only_rows_settled_inside_the_window_fire(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync({"ID": "c1", **GOOD, "SCOPE": "Unknown"})  # a warn failure on a promoted batch
    gate.run()
    checked = gate.execute("SELECT CHECKED_AT FROM GATE_TEST.SOPHIA_OPS.DATA_QUALITY_RESULTS")[0][
        "CHECKED_AT"
    ]

    not_settled_yet = _fires(gate, GateAlert.NEW_FAILURES, None, checked + timedelta(minutes=SETTLE - 1))
    assert not_settled_yet == []
    [fired] = _fires(gate, GateAlert.NEW_FAILURES, None, _settled(checked))
    assert (fired["PROBLEM"], fired["SEVERITY"]) == ("accepted_values(SCOPE)", "warn")
    assert (
        _fires(gate, GateAlert.NEW_FAILURES, _settled(checked), _settled(checked) + timedelta(hours=1)) == []
    )


def test_a_new_batch_failing_the_same_warn_check_fires_again(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync({"ID": "c1", **GOOD, "SCOPE": "Unknown"})
    gate.run()
    calls.sync({"ID": "c2", **GOOD, "SCOPE": "Unknown"})
    gate.run()
    first, second = (batch["STARTED_AT"] for batch in gate.batches())

    fired = _fires(gate, GateAlert.NEW_FAILURES, _settled(first), _settled(second))
    assert [row["BATCH_ID"] for row in fired] == [gate.batches()[-1]["BATCH_ID"]]


def test_passing_checks_fire_nothing_but_gate_problems_do(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync({"ID": "c1", **GOOD})
    gate.run()
    calls.drop_column("DIRECTION")  # the checked column is gone from RAW: the stream cannot be gated
    gate.run()
    invalid = gate.batches()[-1]

    fired = _fires(gate, GateAlert.NEW_FAILURES, None, _settled(invalid["STARTED_AT"]))
    assert [(row["PROBLEM"], row["BATCH_ID"]) for row in fired] == [("invalid", invalid["BATCH_ID"])]
    assert "RAW lacks columns ['DIRECTION']" in fired[0]["DETAIL"]


def test_a_stream_held_too_long_fires_once_when_the_hold_crosses_the_limit(
    gate: GateWarehouse, calls: RawStream
) -> None:
    calls.sync({"ID": None, **GOOD})
    gate.run()
    gate.run()
    held_since = gate.held()[0]["HELD_SINCE"]
    crossing = held_since + timedelta(minutes=MAX_HOLD)

    assert (
        _fires(gate, GateAlert.HELD_TOO_LONG, crossing - timedelta(hours=1), crossing - timedelta(minutes=1))
        == []
    )
    [fired] = _fires(gate, GateAlert.HELD_TOO_LONG, crossing - timedelta(minutes=1), crossing)
    assert (fired["STREAM"], fired["HELD_SINCE"], fired["FAILING_CHECKS"]) == (
        "CALLS",
        held_since,
        '["not_null(ID)"]',
    )
    assert _fires(gate, GateAlert.HELD_TOO_LONG, crossing, crossing + timedelta(hours=1)) == []

    calls.sync({"ID": None, **GOOD, "DIRECTION": "Outbound"})  # the null-key row stays; still held
    gate.run()
    gate.decide("GONG", "CALLS", "skip", "rows without an id")
    gate.run()
    assert _fires(gate, GateAlert.HELD_TOO_LONG, None, crossing + timedelta(days=1)) == []


def test_embedding_coverage_below_95_percent_fires(knowledge) -> None:
    condition = ALERTS[GateAlert.EMBEDDING_COVERAGE.value].condition
    knowledge.insert(
        "CUSTOMERS", *({"CUSTOMER_ID": f"C{i}", "COMPANY_NAME": f"Company {i}"} for i in range(20))
    )
    knowledge.scheduled_run("CUSTOMERS")
    assert knowledge.query(condition) == []  # 100 %; every other table is empty and has no coverage to miss

    knowledge.insert("CUSTOMERS", {"CUSTOMER_ID": "C20", "COMPANY_NAME": "Company 20"})  # 20 of 21: 95.24 %
    assert knowledge.query(condition) == []
    knowledge.insert("CUSTOMERS", {"CUSTOMER_ID": "C21", "COMPANY_NAME": "Company 21"})  # 20 of 22: 90.91 %
    assert [(row["ENTITY_TYPE"], float(row["COVERAGE_PCT"])) for row in knowledge.query(condition)] == [
        ("customer", 90.91)
    ]


def _block_statements(action: str) -> list[str]:
    """The statements of the action's scripting block: `DECLARE message VARCHAR; BEGIN ... END`."""
    block = "\n".join(line for line in action.splitlines() if not line.startswith("--"))
    head, _, body = block.partition("BEGIN\n")
    assert head.split() == ["DECLARE", "message", "VARCHAR;"], head
    assert body.endswith("\nEND"), body[-40:]
    return [statement.strip() for statement in body.removesuffix("\nEND").split(";\n") if statement.strip()]


def _message_query(action: str) -> str:
    """The block's SELECT ... INTO :message, as the SELECT it is without its INTO clause."""
    select, _ = _block_statements(action)
    assert select.startswith("SELECT ") and "\n    INTO :message\n" in select, select
    return select.replace("\n    INTO :message\n", "\n")


def _call_arguments(action: str) -> list[exp.Expr]:
    """sqlglot reads CALL as an unchecked Command, so its argument list is parsed as a SELECT's."""
    _, call = _block_statements(action)
    assert call.startswith("CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(") and call.endswith(");"), call
    select = sqlglot.parse_one(
        "SELECT " + call.removeprefix("CALL ").removesuffix(";"),
        read="snowflake",
        error_level=sqlglot.ErrorLevel.RAISE,
    )
    [function] = select.expressions
    return function.expressions


@pytest.mark.parametrize("alerts", [ALERTS, WEBHOOK_ALERTS], ids=["email", "webhook"])
@pytest.mark.parametrize("alert", list(GateAlert), ids=str)
def test_the_action_sends_the_condition_rows_through_the_integration(
    alert: GateAlert, alerts: dict[str, AlertSpec]
) -> None:
    # Snowflake documents an action that uses the condition's result as a scripting block that reads
    # RESULT_SCAN(SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID()) first; no document shows it as a CALL argument.
    action = alerts[alert.value].action
    message, integration = _call_arguments(action)
    assert (
        integration.sql(dialect="snowflake") == "SNOWFLAKE.NOTIFICATION.INTEGRATION('SOPHIA_AI_TEST_ALERTS')"
    )
    assert message.sql(dialect="snowflake") == ":message"
    query = sqlglot.parse_one(_message_query(action), read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    assert "RESULT_SCAN(SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID())" in query.sql(dialect="snowflake")
    assert not any(isinstance(node, exp.Subquery) for node in _call_arguments(action))


def test_the_message_lists_every_row_the_condition_returned(gate: GateWarehouse, calls: RawStream) -> None:
    calls.sync({"ID": "c1", **GOOD, "SCOPE": "Unknown"}, {"ID": "c2", **GOOD, "DIRECTION": "Sideways"})
    gate.run()
    shims.set_alert_schedule(gate.duck, None, _settled(gate.batches()[-1]["STARTED_AT"]))
    alert = ALERTS[GateAlert.NEW_FAILURES.value]
    gate.execute(f"CREATE OR REPLACE TEMPORARY TABLE CONDITION_RESULT AS {alert.condition}")
    sent: Any = gate.execute(shims.bind_condition_result(_message_query(alert.action), "CONDITION_RESULT"))
    text = json.loads(next(iter(sent[0].values())))["text/plain"]

    prefix, _, rows = text.partition(" row(s): ")
    assert prefix == f"{GateAlert.NEW_FAILURES.value}: 2"
    assert sorted(row["PROBLEM"] for row in json.loads(rows)) == [
        "accepted_values(DIRECTION)",
        "accepted_values(SCOPE)",
    ]


def _sent_text(gate: GateWarehouse, alert: AlertSpec) -> str:
    """What the action hands SYSTEM$SEND_SNOWFLAKE_NOTIFICATION as text/plain, for the stored condition rows."""
    sent: Any = gate.execute(shims.bind_condition_result(_message_query(alert.action), "CONDITION_RESULT"))
    return json.loads(next(iter(sent[0].values())))["text/plain"]


def test_a_webhook_message_fits_the_json_string_its_body_template_holds(gate: GateWarehouse) -> None:
    # A quote, a backslash, a line break and a placeholder, which must not pull the secret into Slack.
    detail = 'a "quoted" value\\ on two\nlines SNOWFLAKE_WEBHOOK_SECRET'
    gate.execute(
        "CREATE OR REPLACE TEMPORARY TABLE CONDITION_RESULT AS SELECT 'GONG' AS SOURCE, ? AS DETAIL",
        [detail],
    )
    message = _sent_text(gate, WEBHOOK_ALERTS[GateAlert.NEW_FAILURES.value])
    plain = _sent_text(gate, ALERTS[GateAlert.NEW_FAILURES.value])
    # Snowflake writes the message where the Slack integration's template has SNOWFLAKE_WEBHOOK_MESSAGE.
    body = json.loads('{"text": "SNOWFLAKE_WEBHOOK_MESSAGE"}'.replace("SNOWFLAKE_WEBHOOK_MESSAGE", message))

    assert body["text"] == plain.replace("SNOWFLAKE_WEBHOOK_SECRET", "REDACTED")
    [row] = json.loads(body["text"].partition(" row(s): ")[2])
    assert row == {"SOURCE": "GONG", "DETAIL": detail.replace("SNOWFLAKE_WEBHOOK_SECRET", "REDACTED")}
