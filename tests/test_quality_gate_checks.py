"""Checks are declared with their stream in dbt's vocabulary; a promoted stream without key checks is refused."""

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from models.quality_gate import CheckKind, QualityCheck, Severity, gate_checks, snowflake_column
from sophia.cli import EXIT_INVALID
from tests.airbyte.test_config import changed, rejection
from tests.harness import declared_resources, failed_plan, plan_edited_dev_stack, plan_stack

NS = "sophia-data-platform:"
KEY_CHECKS = [{"check": "not_null", "columns": ["id"]}, {"check": "unique"}]


def _gong_checks(checks: list[dict[str, Any]]) -> dict[str, Any]:
    return changed("sources.GONG.streams.0.checks", checks)


def test_unique_defaults_to_the_primary_key_and_not_null_is_one_check_per_column() -> None:
    declared = [
        QualityCheck.model_validate({"check": "not_null", "columns": ["channel_id", "ts"]}),
        QualityCheck.model_validate({"check": "unique"}),
        QualityCheck.model_validate(
            {"check": "accepted_values", "column": "type", "values": ["message"], "severity": "warn"}
        ),
    ]

    checks = gate_checks(declared, ["channel_id", "ts"])

    assert [check.name for check in checks] == [
        "not_null(CHANNEL_ID)",
        "not_null(TS)",
        "unique(CHANNEL_ID, TS)",
        "accepted_values(TYPE)",
    ]
    assert [check.blocks for check in checks] == [True, True, True, False]
    assert checks[3].values == ("message",)
    assert (checks[3].kind, checks[3].severity) == (CheckKind.ACCEPTED_VALUES, Severity.WARN)


BAD_CHECKS = {
    "unknown check": (
        [*KEY_CHECKS, {"check": "not_nul", "columns": ["id"]}],
        "sources.GONG.streams.0.checks.2.check",
        "check 'not_nul' is not allowed; allowed: 'not_null', 'unique', 'accepted_values'",
    ),
    "unknown severity": (
        [*KEY_CHECKS, {"check": "not_null", "columns": ["started"], "severity": "fatal"}],
        "sources.GONG.streams.0.checks.2.severity",
        "severity 'fatal' is not allowed; allowed: 'error', 'warn'",
    ),
    "no unique on the key": (
        [{"check": "not_null", "columns": ["id", "started"]}, {"check": "unique", "columns": ["started"]}],
        "sources.GONG.streams.0",
        "missing ['unique(ID)'] (declared: ['not_null(ID) error', 'not_null(STARTED) error', 'unique(STARTED) error'])",
    ),
    "no not_null on the key": (
        [
            {"check": "not_null", "columns": ["started"]},
            {"check": "unique"},
            {"check": "unique", "columns": ["x"]},
        ],
        "sources.GONG.streams.0",
        "its checks must include not_null on every primaryKey field and unique on the primaryKey ['id'], "
        "with severity error; missing ['not_null(ID)']",
    ),
    "key check that only warns": (
        [{"check": "not_null", "columns": ["id", "started"]}, {"check": "unique", "severity": "warn"}],
        "sources.GONG.streams.0",
        "with severity error; missing ['unique(ID)']",
    ),
    "values on not_null": (
        [*KEY_CHECKS, {"check": "not_null", "columns": ["started"], "values": ["x"]}],
        "sources.GONG.streams.0.checks.2",
        "check not_null takes ['columns'] and severity; remove ['values']",
    ),
    "accepted_values without values": (
        [*KEY_CHECKS, {"check": "accepted_values", "column": "direction"}],
        "sources.GONG.streams.0.checks.2",
        "check accepted_values needs column and values (compared as text), given column='direction', values=[]",
    ),
    "not_null without columns": (
        [*KEY_CHECKS, {"check": "not_null"}],
        "sources.GONG.streams.0.checks.2",
        "check not_null needs columns",
    ),
    "field that lands quoted": (
        [*KEY_CHECKS, {"check": "not_null", "columns": ["properties.email"]}],
        "sources.GONG.streams.0.checks.2.columns.0",
        "String should match pattern",
    ),
    "check declared twice": (
        [*KEY_CHECKS, {"check": "not_null", "columns": ["id"], "severity": "warn"}],
        "sources.GONG.streams.0",
        "checks ['not_null(ID)'] are declared more than once",
    ),
    "unknown key in a check": (
        [*KEY_CHECKS, {"check": "unique", "column": ["id"], "where": "x > 1"}],
        "sources.GONG.streams.0.checks.2.where",
        "Extra inputs are not permitted",
    ),
    "accepted value that would end the procedure body": (
        [*KEY_CHECKS, {"check": "accepted_values", "column": "direction", "values": ["In", "Out$$"]}],
        "sources.GONG.streams.0.checks.2.values.1",
        "accepted value 'Out$$' may not hold $$",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CHECKS), ids=str)
def test_bad_checks_name_the_key_and_what_is_allowed(case: str) -> None:
    checks, key, expected = BAD_CHECKS[case]
    message = rejection(_gong_checks(checks))
    assert key in message and expected in message, message


def test_a_source_needs_three_checks() -> None:
    message = rejection(_gong_checks(KEY_CHECKS))
    assert "sources.GONG" in message
    assert "streams declare 2 checks in all ({'calls': 2}); a source needs at least 3" in message


def test_a_promoted_stream_is_keyed_by_top_level_fields() -> None:
    raw = changed("sources.GONG.streams.0.cursorField", ["metaData", "started"])
    message = rejection(raw)
    assert "sources.GONG.streams.0" in message
    assert "nested paths [['metaData', 'started']] are not" in message


def test_checks_on_a_stream_that_is_not_promoted() -> None:
    raw = changed("sources.SLACK.streams.1.checks", [{"check": "not_null", "columns": ["id"]}])
    message = rejection(raw)
    assert "sources.SLACK.streams.1" in message
    assert "only 'incremental_deduped_history' streams are promoted" in message


def test_a_deduplicated_stream_without_checks_is_refused() -> None:
    message = rejection(changed("sources.SLACK.streams.0.checks", []))
    assert "sources.SLACK.streams.0" in message and "stream 'channel_messages' is promoted" in message


def test_a_shipped_stream_without_unique_stops_the_stack_before_any_resource() -> None:
    failure = failed_plan(
        "dev",
        {
            "airbyte.sources.GONG.streams": [
                {
                    "name": "calls",
                    "cursorField": ["started"],
                    "primaryKey": [["id"]],
                    "checks": [{"check": "not_null", "columns": ["id", "started", "direction"]}],
                }
            ]
        },
    )
    assert f"{NS}airbyte.sources.GONG.streams.0: stream 'calls' is promoted" in str(failure.cause)
    assert "missing ['unique(ID)']" in str(failure.cause)
    assert declared_resources(failure) == []


def test_missing_key_checks_in_a_stack_file_exit_2_naming_the_key(tmp_path: Path) -> None:
    code, errors = plan_edited_dev_stack(tmp_path, "              - {check: unique}\n", "")

    assert code == EXIT_INVALID
    assert f"{NS}airbyte.sources.GONG.streams.0: stream 'calls' is promoted" in errors


def test_an_accepted_value_holding_dollar_quotes_in_a_stack_file_exits_2_naming_the_key(
    tmp_path: Path,
) -> None:
    code, errors = plan_edited_dev_stack(tmp_path, "values: [message]", "values: ['mes$$sage']")

    assert code == EXIT_INVALID
    assert f"{NS}airbyte.sources.SLACK.streams.0.checks.2.values.0" in errors
    assert "may not hold $$" in errors


def test_a_streams_checks_are_resolved_once_and_carried_as_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole dev plan resolves each promoted stream's checks once, as its config is validated; the gate's
    component inputs (what the pack reads) and its procedures' plans carry those same checks."""
    import stack.airbyte.config as airbyte_config
    from stack import loader

    resolved: dict[str, tuple[str, ...]] = {}
    real = airbyte_config.promoted_stream_checks

    def counting(stream: str, *args: Any) -> Any:
        assert stream not in resolved, f"the checks of {stream!r} were resolved twice"
        checks = real(stream, *args)
        resolved[stream] = tuple(check.name for check in checks)
        return checks

    monkeypatch.setattr(airbyte_config, "promoted_stream_checks", counting)
    loader._validated.cache_clear()  # a process validates a config once: this plan must be the one that does
    plan = plan_stack("dev")

    gate = next(r for r in plan.resources if r.type == "sophia:quality_gate:QualityGate")
    declared = {
        stream["stream"]: tuple(
            f"{check['check']}({', '.join(check['columns'])})" for check in stream["checks"]
        )
        for streams in gate.inputs["promoted_streams"].values()
        for stream in streams
    }
    assert declared and {snowflake_column(name): names for name, names in resolved.items()} == declared
    planned = {
        stream["stream"]: tuple(check["name"] for check in stream["checks"])
        for procedure in plan.resources
        if procedure.type == "snowflake:index/procedurePython:ProcedurePython"
        and procedure.inputs["name"].startswith("QUALITY_GATE_")
        for stream in _procedure_plan(procedure.inputs["procedure_definition"])["streams"]
    }
    built_in = {"airbyte_meta", "delete_share", "late_rows"}
    assert {
        stream: tuple(name for name in names if name.split("(")[0] not in built_in)
        for stream, names in planned.items()
    } == declared


def _procedure_plan(body: str) -> dict[str, Any]:
    """The plan a gate procedure's body carries (PLAN = json.loads(...)), as the procedure reads it."""
    literal = next(line for line in body.splitlines() if line.startswith("PLAN = json.loads("))
    return json.loads(ast.literal_eval(literal.removeprefix("PLAN = json.loads(").removesuffix(")")))
