"""What the emulator cannot run around the gate (procedure shells, the task) is checked here, as parsed SQL.

The procedures are declared from ProcedureSpec by pulumi-snowflake, which wraps the body in CREATE PROCEDURE;
their bodies are the handler module itself, which the other tests execute against fakesnow. This file checks
that the body is that module with its plan, that it needs nothing Snowflake's Python runtime lacks, that
every statement it can run parses as Snowflake SQL, and that the gate scenarios run every one of them.
"""

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from catalog.quality_gate import handler
from catalog.quality_gate.objects import PromotedStream
from catalog.quality_gate.plan import gate_plan
from catalog.quality_gate.procedures import (
    DECIDE_PROCEDURE,
    decide_procedure,
    gate_procedure,
    gate_task_statement,
)
from models.quality_gate import CheckKind, GateCheck, GateSettings, Severity
from tests.airbyte.test_config import ALL_SECRET, valid, validate_airbyte_config
from tests.sql.quality_gate_harness import OBJECTS, GateWarehouse, calls_stream

CALLS = PromotedStream.from_config("GONG", calls_stream())
HANDLER_SOURCE = Path(handler.__file__).read_text()


def _parse(sql: str) -> exp.Expr:
    tree = sqlglot.parse_one(sql, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    assert not isinstance(tree, exp.Command), f"sqlglot did not check this statement: {sql[:80]}"
    return tree


def _statements(plan: dict[str, Any]) -> dict[str, str]:
    """Every statement of a plan, by where it sits in the plan; runtime slots filled as the handler fills them."""
    found = {f"statements.{name}": sql for name, sql in plan["statements"].items()}
    for stream in plan["streams"]:
        fragments = stream["merge_fragments"]
        found[f"{stream['stream']}.merge"] = stream["merge"].format(
            assignments=", ".join(
                [fragments["assignment"].format(column='"ID"'), fragments["clear"].format(column='"TOPIC"')]
            ),
            insert_columns='"ID"',
            insert_values=fragments["insert_value"].format(column='"ID"'),
        )
        found[f"{stream['stream']}.add_curated_column"] = stream["add_curated_column"].format(
            column='"TOPIC"', column_type="VARCHAR"
        )
        for name in ("create_curated", "batch_bounds", "delete_gone"):
            found[f"{stream['stream']}.{name}"] = stream[name]
        for check in stream["checks"]:
            found[f"{stream['stream']}.{check['name']}"] = check["sql"]
    return found


PLAN = gate_plan(OBJECTS, "GONG", [CALLS], GateSettings())


@pytest.mark.parametrize(
    ("where", "sql"), sorted(_statements(PLAN).items()), ids=lambda v: v if "." in v else ""
)
def test_every_statement_of_the_gate_parses_as_snowflake_sql(where: str, sql: str) -> None:
    tree = _parse(sql)
    assert isinstance(
        tree, exp.Query | exp.Insert | exp.Update | exp.Delete | exp.Merge | exp.Create | exp.Alter
    )


def test_the_merge_matches_keys_null_safely_and_updates_only_with_newer_rows() -> None:
    merge = _parse(_statements(PLAN)["CALLS.merge"])
    assert isinstance(merge, exp.Merge)
    assert merge.args["on"].sql() == "CURATED.ID IS NOT DISTINCT FROM BATCH.ID"  # aliases are case-blind
    matched, not_matched = merge.args["whens"]
    assert matched.args["matched"] and isinstance(matched.args["then"], exp.Update)
    assert "CURATED.STARTED < BATCH.STARTED" in matched.args["condition"].sql()
    assert not not_matched.args["matched"] and isinstance(not_matched.args["then"], exp.Insert)
    batch = merge.args["using"].this.args["from_"].this.this  # the batch's rows, bound so RAW prunes
    lower = batch.args["where"].find(exp.GT)
    assert lower.this.sql() == "raw._AIRBYTE_EXTRACTED_AT"
    assert isinstance(lower.expression, exp.UnixToTime) and isinstance(lower.expression.this, exp.Placeholder)
    assert "DECISION IN ('skip')" in batch.sql(dialect="snowflake")  # a skipped row is never promoted


def test_the_gate_procedure_is_the_handler_module_and_its_rendered_plan() -> None:
    procedure = gate_procedure(OBJECTS, "GONG", [CALLS], GateSettings())
    assert (procedure.name, procedure.arguments, procedure.return_type) == (
        "QUALITY_GATE_GONG",
        (),
        "VARIANT",
    )
    assert (procedure.execute_as, procedure.handler, procedure.runtime_version) == ("OWNER", "main", "3.11")
    # pulumi-snowflake's snowpark_package is the version it pins snowflake-snowpark-python to.
    assert re.fullmatch(r"\d+\.\d+\.\d+", procedure.snowpark_package)
    module = ast.parse(procedure.body)
    plan = next(
        node.value
        for node in module.body
        if isinstance(node, ast.Assign)
        and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["PLAN"]
    )
    assert json.loads(ast.literal_eval(plan.args[0])) == PLAN
    assert procedure.body.startswith(HANDLER_SOURCE)
    assert "def main(session):" in procedure.body


def test_the_decision_procedure_runs_with_the_callers_rights() -> None:
    procedure = decide_procedure(OBJECTS)
    assert (
        procedure.name == DECIDE_PROCEDURE and procedure.execute_as == "CALLER"
    )  # CURRENT_USER() is the caller
    assert [name for name, _ in procedure.arguments] == ["SOURCE", "STREAM", "BATCH_ID", "DECISION", "REASON"]
    assert "def main(session, source, stream, batch_id, decision, reason):" in procedure.body


def test_the_handler_needs_only_the_standard_library() -> None:
    """Snowflake runs it with the Snowpark session and the packages it names, none here."""
    tree = ast.parse(HANDLER_SOURCE)
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported and imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


def test_every_deduplicated_stream_of_a_source_is_promoted() -> None:
    config = validate_airbyte_config(valid(), ALL_SECRET)
    assert [stream.table for stream in config.sources["GONG"].promoted_streams("GONG")] == ["CALLS"]
    [messages] = config.sources["SLACK"].promoted_streams("SLACK")  # `users` is a full refresh: not promoted
    assert (messages.table, messages.key_columns, messages.cursor_column) == (
        "CHANNEL_MESSAGES",
        ("CHANNEL_ID", "TS"),
        "TS",
    )
    assert messages.required_columns == [
        "CHANNEL_ID",
        "TS",
        "_AIRBYTE_EXTRACTED_AT",
        "_AIRBYTE_GENERATION_ID",
        "_AIRBYTE_META",
        "_AIRBYTE_RAW_ID",
    ]


def test_the_task_calls_the_sources_gate() -> None:
    statement = gate_task_statement(OBJECTS, "GONG")
    assert statement == "CALL GATE_TEST.SOPHIA_OPS.QUALITY_GATE_GONG()"
    call = sqlglot.parse_one("SELECT " + statement.removeprefix("CALL "), read="snowflake")
    assert call.expressions[0].sql() == "GATE_TEST.SOPHIA_OPS.QUALITY_GATE_GONG()"


def test_a_body_with_dollar_quotes_is_refused() -> None:
    """pulumi-snowflake wraps the body in $$ ... $$: an accepted value holding $$ would end it."""
    check = GateCheck(CheckKind.ACCEPTED_VALUES, ("DIRECTION",), Severity.ERROR, ("In$$bound",))
    stream = PromotedStream("GONG", "CALLS", ("ID",), "STARTED", (check,))
    with pytest.raises(ValueError, match=r"may not contain \$\$"):
        gate_procedure(OBJECTS, "GONG", [stream], GateSettings())


def test_the_gate_scenarios_run_every_statement_the_procedure_can_run() -> None:
    gate = GateWarehouse()
    executed: list[str] = []
    gate.session.before.append(executed.append)
    calls = gate.stream("GONG", calls_stream())
    good = {"STARTED": "2024-05-01T10:00:00+00:00", "DIRECTION": "Inbound", "SCOPE": "External"}
    gate.run()  # not landed
    calls.land()
    calls.sync({"ID": "c1", **good})
    gate.run()  # first promotion
    calls.add_column("TOPIC", "VARCHAR")
    calls.sync({"ID": "c2", **good, "TOPIC": "pricing"})
    gate.run()  # a new column; the watermark advances
    calls.sync({"ID": "c3", **good, "DIRECTION": "Sideways"})
    gate.run()  # held
    gate.decide("GONG", "CALLS", "release", "a new direction")
    calls.cdc_delete("c1")
    gate.run()  # released, and c1 removed
    gate.close()

    def head(sql: str) -> str:  # the text before any slot filled when the gate runs
        return sql.split("{")[0] if "{" in sql else sql

    plan = gate_plan(OBJECTS, "GONG", [calls.promoted], GateSettings())
    raw_templates = {
        f"{s['stream']}.{name}": s[name] for s in plan["streams"] for name in ("merge", "add_curated_column")
    }
    expected = {where: head(raw_templates.get(where, sql)) for where, sql in _statements(plan).items()}
    ran = {where for where, text in expected.items() if any(sql.startswith(text) for sql in executed)}
    assert sorted(set(expected) - ran) == []
