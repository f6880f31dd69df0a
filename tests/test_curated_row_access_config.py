"""A row access restriction on curated streams: refused unless promoted, carried into the gate's plan, checked."""

import ast
import json
import re
from pathlib import Path

from tests.harness import Plan, assert_config_refused
from tests.test_security_policies import _resources, _violations

POLICY = "snowflake:index/rowAccessPolicy:RowAccessPolicy"
PROCEDURE = "snowflake:index/procedurePython:ProcedurePython"
COMPONENT = "sophia:row_access:RowAccess"
CALLS_BY_DIRECTION = {"streams": ["GONG.calls"], "column": "DIRECTION"}
CURATED_CALLS = "SOPHIA_AI_DEV.GONG_DATA.CALLS"
RULE = "restricted-entities-have-row-access-policy"


def _gate_plan(procedure_definition: str) -> dict:
    encoded = re.search(r"^PLAN = json\.loads\((.*)\)$", procedure_definition, re.MULTILINE)
    assert encoded
    return json.loads(ast.literal_eval(encoded.group(1)))


def _with_plan(procedure_definition: str, plan: dict) -> str:
    replacement = f"PLAN = json.loads({json.dumps(plan)!r})"
    return re.sub(
        r"^PLAN = json\.loads\(.*\)$", lambda _: replacement, procedure_definition, flags=re.MULTILINE
    )


def test_a_restricted_stream_is_attached_by_its_gate_on_creation(planner) -> None:
    plan: Plan = planner("dev", {"security.rowAccess.CALLS_BY_DIRECTION": CALLS_BY_DIRECTION})
    policy = plan.named(POLICY, "CALLS_BY_DIRECTION_ROW_ACCESS")
    # Only streams: the policy binds VARCHAR, the type Airbyte gives a string field.
    assert policy.inputs["arguments"] == [{"name": "VAL", "type": "VARCHAR"}]
    gong = _gate_plan(plan.named(PROCEDURE, "QUALITY_GATE_GONG").inputs["procedure_definition"])
    attach = {s["stream"]: s["attach_row_access"] for s in gong["streams"]}
    assert attach.pop("CALLS").endswith(
        f"ALTER TABLE {CURATED_CALLS} ADD ROW ACCESS POLICY SOPHIA_AI_DEV.SOPHIA_OPS.CALLS_BY_DIRECTION_ROW_ACCESS"
        " ON (DIRECTION)"
    )
    assert set(attach.values()) == {None}  # the source's other streams stay unrestricted
    [component] = plan.of_type(COMPONENT)
    declared = component.raw_inputs["restrictions"]["CALLS_BY_DIRECTION_ROW_ACCESS"]
    assert declared == {"tables": [], "streams": [CURATED_CALLS], "column": "DIRECTION"}


def test_a_stream_not_promoted_is_refused_naming_the_key() -> None:
    assert_config_refused(
        "dev",
        {"security.rowAccess.X": {"streams": ["GONG.call"], "column": "DIRECTION"}},
        ["security.rowAccess.X.streams 'GONG.call' is not allowed", "'GONG.calls'"],
    )
    assert_config_refused(
        "dev",
        {"security.rowAccess.X": {"streams": ["calls"], "column": "DIRECTION"}},
        ["security.rowAccess.X.streams 'calls' is not allowed"],
    )
    assert_config_refused(
        "dev",
        {
            "security.rowAccess.A": CALLS_BY_DIRECTION,
            "security.rowAccess.B": {"streams": ["GONG.calls"], "column": "SCOPE"},
        },
        ["GONG.calls is restricted by both A and B"],
    )
    assert_config_refused(
        "dev", {"security.rowAccess.X": {"column": "DIRECTION"}}, ["at least one of tables or streams"]
    )
    assert_config_refused(
        "dev",
        {"security.rowAccess.X": {**CALLS_BY_DIRECTION, "seeAllRoles": ["APP"]}},
        ["security.rowAccess.X.seeAllRoles ['APP'] is not allowed, as the gate promotes"],
    )


def test_the_rule_fails_a_restricted_stream_the_gate_does_not_attach(dev_export: Path) -> None:
    resources = _resources(dev_export)
    component = next(r for r in resources if r["type"] == COMPONENT)
    component["inputs"]["restrictions"]["CUSTOMERS_BY_SEGMENT_ROW_ACCESS"]["streams"] = [CURATED_CALLS]
    [(rule, message)] = _violations(resources)
    assert rule == RULE
    assert message.startswith(f"Curated {CURATED_CALLS} is restricted by CUSTOMERS_BY_SEGMENT_ROW_ACCESS")


def test_the_rule_passes_when_the_gates_plan_attaches_it(dev_export: Path) -> None:
    resources = _resources(dev_export)
    component = next(r for r in resources if r["type"] == COMPONENT)
    component["inputs"]["restrictions"]["CUSTOMERS_BY_SEGMENT_ROW_ACCESS"]["streams"] = [CURATED_CALLS]
    gate = next(r for r in resources if r["type"] == PROCEDURE and r["inputs"]["name"] == "QUALITY_GATE_GONG")
    plan = _gate_plan(gate["inputs"]["procedureDefinition"])
    calls = next(s for s in plan["streams"] if s["stream"] == "CALLS")
    calls["attach_row_access"] = (
        f"ALTER TABLE {CURATED_CALLS} ADD ROW ACCESS POLICY SOPHIA_AI_DEV.SOPHIA_OPS.CUSTOMERS_BY_SEGMENT_ROW_ACCESS"
        " ON (DIRECTION)"
    )
    definition = gate["inputs"]["procedureDefinition"]
    gate["inputs"]["procedureDefinition"] = _with_plan(definition, plan)
    assert _violations(resources) == []
    calls["attach_row_access"] = "-- " + calls["attach_row_access"]  # a comment attaches nothing
    gate["inputs"]["procedureDefinition"] = _with_plan(definition, plan)
    assert [rule for rule, _ in _violations(resources)] == [RULE]
