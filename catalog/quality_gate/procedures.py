"""The gate's stored procedures and task: the handler's source with the rendered plan it runs."""

# Why a Python stored procedure. The gate merges RAW tables whose columns appear with the source's fields, so
# the MERGE's column lists are only known when it runs: dynamic SQL either way. Snowflake's MERGE ... ALL BY
# NAME cannot do it, since it needs the same columns on both sides (MERGE docs) and curated keeps columns
# RAW dropped. A Snowflake Scripting procedure could build the lists with EXECUTE IMMEDIATE, but its control
# flow would run nowhere before production; a Python handler takes the same rendered statements and runs in
# the tests against the emulator through a small Session adapter: the code that runs in Snowflake is tested.

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.quality_gate import decide, handler
from catalog.quality_gate.objects import HELD_BATCHES, GateObjects, PromotedStream
from catalog.quality_gate.plan import gate_plan
from catalog.sql_files import render_sql
from models.naming import Naming
from models.quality_gate import GateSettings

PYTHON_RUNTIME = "3.11"
# pulumi-snowflake's ProcedurePython takes the Snowpark version and writes PACKAGES =
# ('snowflake-snowpark-python==<version>') (provider pkg/resources/procedure_python.go); pinned, as its import
# needs (docs/resources/procedure_python.md), to a release Snowflake's Anaconda channel builds for 3.11.
SNOWPARK_VERSION = "1.30.0"
DECIDE_PROCEDURE = "DECIDE_HELD_BATCH"
_HANDLER_SOURCE = Path(handler.__file__).read_text()
# The decision handler's own code after the gate handler's, whose names it uses instead of importing them.
_DECIDE_SOURCE = re.sub(
    r"^from catalog\.quality_gate\.handler import .*$\n",
    "",
    Path(decide.__file__).read_text(),
    flags=re.M,
)


@dataclass(frozen=True)
class ProcedureSpec:
    """A Python stored procedure to declare: what pulumi-snowflake's ProcedurePython takes."""

    name: str
    arguments: tuple[tuple[str, str], ...]
    return_type: str
    execute_as: str
    body: str
    handler: str = "main"
    runtime_version: str = PYTHON_RUNTIME
    snowpark_package: str = SNOWPARK_VERSION


def gate_procedure(
    objects: GateObjects, source: str, streams: Sequence[PromotedStream], settings: GateSettings
) -> ProcedureSpec:
    """The source's gate, with the owner's rights: whoever may call it needs no rights on RAW or curated."""
    body = _procedure_body(
        gate_plan(objects, source, streams, settings),
        "def main(session):\n    return run_gate(session, PLAN)",
    )
    return ProcedureSpec(Naming.quality_gate_procedure(source), (), "VARIANT", "OWNER", body)


def decide_procedure(objects: GateObjects) -> ProcedureSpec:
    """The one statement that releases or skips a held batch's failing rows; caller's rights, for CURRENT_USER().

    `CALL SOPHIA_OPS.DECIDE_HELD_BATCH('GONG', 'CALLS', '<BATCH_ID>', 'release', 'Gong confirmed the call has no owner')`
    """
    values = objects.sql_values()
    plan = {
        "decide_held_batch": render_sql("quality_gate/decide_held_batch.sql", **values),
        "held_batches": objects.ops(HELD_BATCHES),
        "held_batch": render_sql("quality_gate/gate/held_batch.sql", **values),
    }
    entry = (
        "def main(session, source, stream, batch_id, decision, reason):\n"
        "    return decide_held_batch(session, PLAN, source, stream, batch_id, decision, reason)"
    )
    arguments = tuple((name, "VARCHAR") for name in ("SOURCE", "STREAM", "BATCH_ID", "DECISION", "REASON"))
    body = _procedure_body(plan, entry, f"{_HANDLER_SOURCE}\n\n{_DECIDE_SOURCE}")
    return ProcedureSpec(DECIDE_PROCEDURE, arguments, "VARCHAR", "CALLER", body)


def _procedure_body(plan: Mapping[str, Any], entry: str, source: str = _HANDLER_SOURCE) -> str:
    """The handler's source, the rendered plan it runs, and the procedure's entry point."""
    body = f"{source}\n\nPLAN = json.loads({json.dumps(plan)!r})\n\n\n{entry}\n"
    if "$$" in body:  # pulumi-snowflake wraps the definition in $$ ... $$
        raise ValueError("a procedure body may not contain $$")
    return body


def gate_task_statement(objects: GateObjects, source: str) -> str:
    """What the source's gate task runs, on schedule and on EXECUTE TASK."""
    return render_sql(
        "quality_gate/task_body.sql", procedure=objects.ops(Naming.quality_gate_procedure(source))
    )
