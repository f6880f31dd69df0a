"""The quality gate's six operations tables in SOPHIA_OPS, declared once for the stack and the SQL tests."""

from collections.abc import Mapping

from catalog.quality_gate.objects import BATCHES, DECIDED_ROWS, DECISIONS, FAILING_ROWS, RESULTS, WATERMARKS
from catalog.table_spec import ColumnSpec, SnowflakeType, TableSpec

_VARCHAR = SnowflakeType.VARCHAR
_NUMBER = SnowflakeType.NUMBER
_TIMESTAMP = SnowflakeType.TIMESTAMP_TZ


def _column(name: str, type_: SnowflakeType, comment: str, nullable: bool = True) -> ColumnSpec:
    return ColumnSpec(name=name, type=type_, comment=comment, nullable=nullable)


def _required(name: str, type_: SnowflakeType, comment: str) -> ColumnSpec:
    return _column(name, type_, comment, nullable=False)


_SOURCE = _required("SOURCE", _VARCHAR, "The Airbyte source, e.g. GONG")
_STREAM = _required("STREAM", _VARCHAR, "The stream table")
_STREAM_TABLE = _required("STREAM", _VARCHAR, "The stream table, as in the RAW and curated schemas")
_RUN_ID_COMMENT = "The gate run (one procedure call)"
_BATCH_AFTER = _column(
    "BATCH_AFTER",
    _TIMESTAMP,
    "Exclusive lower bound on _AIRBYTE_EXTRACTED_AT: the watermark, NULL before the first promotion",
)
_BATCH_THROUGH_COMMENT = "Inclusive upper bound on _AIRBYTE_EXTRACTED_AT"

# One row per check and batch: what the gate checked, over which rows, and what failed.
_RESULTS = TableSpec(
    name=RESULTS,
    comment="Data-quality gate results, one per check and batch",
    columns=[
        _required("RUN_ID", _VARCHAR, f"{_RUN_ID_COMMENT} that checked the batch"),
        _required("BATCH_ID", _VARCHAR, f"The batch checked, see {BATCHES}"),
        _SOURCE,
        _STREAM_TABLE,
        _required("CHECK_NAME", _VARCHAR, "The check and its columns, e.g. not_null(ID)"),
        _required("CHECK_TYPE", _VARCHAR, "dbt generic test: not_null, unique or accepted_values"),
        _required("COLUMNS", SnowflakeType.ARRAY, "The columns checked"),
        _required("SEVERITY", _VARCHAR, "error holds the batch when the check fails, warn only records it"),
        _BATCH_AFTER,
        _required("BATCH_THROUGH", _TIMESTAMP, _BATCH_THROUGH_COMMENT),
        _required("ROWS_CHECKED", _NUMBER, "RAW rows in the batch"),
        _required("FAILING_ROWS", _NUMBER, "Rows of the batch that fail the check"),
        _required(
            "FAILING_KEYS",
            SnowflakeType.ARRAY,
            "Up to five failing rows: their _AIRBYTE_RAW_ID and primary key",
        ),
        _required("PASSED", SnowflakeType.BOOLEAN, "No row failed"),
        _required("CHECKED_AT", _TIMESTAMP, "When the check ran"),
    ],
)

# One row per stream and gate pass: the batch bounds and what became of the batch.
_BATCHES = TableSpec(
    name=BATCHES,
    comment="Data-quality gate batches, one per stream and gate pass",
    columns=[
        _required("BATCH_ID", _VARCHAR, "One gate pass over one stream"),
        _required("RUN_ID", _VARCHAR, f"{_RUN_ID_COMMENT} the pass belongs to"),
        _SOURCE,
        _STREAM_TABLE,
        _required(
            "STATUS",
            _VARCHAR,
            "promoted, held, released, skipped, superseded, not_landed, invalid or error",
        ),
        _BATCH_AFTER,
        _column("BATCH_THROUGH", _TIMESTAMP, _BATCH_THROUGH_COMMENT),
        _column("ROWS_IN_BATCH", _NUMBER, "RAW rows between the bounds"),
        _column(
            "MAX_GENERATION_ID", _NUMBER, "Highest _AIRBYTE_GENERATION_ID in the batch: a refresh raises it"
        ),
        _column("PROMOTED_ROWS", _NUMBER, "Curated rows inserted or updated"),
        _column(
            "DELETED_ROWS",
            _NUMBER,
            "Curated rows removed because RAW no longer holds their key (CDC delete, refresh)",
        ),
        _column("DECISION_ID", _VARCHAR, "The operator decision applied to the batch, if any"),
        _column(
            "DETAIL", _VARCHAR, "Why the stream was not checked: not landed, invalid columns or an error"
        ),
        _required("STARTED_AT", _TIMESTAMP, "When the pass began"),
        _column("FINISHED_AT", _TIMESTAMP, "When the pass committed"),
    ],
)

# Per stream, how far RAW has been promoted; it advances in the transaction that merges the batch, and the
# row is the stream's lock: each batch updates it first.
_WATERMARKS = TableSpec(
    name=WATERMARKS,
    comment="Data-quality gate watermarks, one per promoted stream",
    columns=[
        _SOURCE,
        _STREAM_TABLE,
        _column(
            "PROMOTED_THROUGH",
            _TIMESTAMP,
            "Every RAW row extracted at or before this was checked; NULL before the first promotion",
        ),
        _column("BATCH_ID", _VARCHAR, "The batch that last advanced the watermark"),
        _column(
            "LOCKED_BY", _VARCHAR, "The gate run whose batch last locked the row: each batch locks it first"
        ),
        _column("LOCKED_AT", _TIMESTAMP, "When that batch locked it"),
        _required("UPDATED_AT", _TIMESTAMP, "When it last advanced"),
    ],
    primary_key=["SOURCE", "STREAM"],
)

# Operator decisions on held batches, with who decided and why; the gate applies each once.
_DECISIONS = TableSpec(
    name=DECISIONS,
    comment="Data-quality gate decisions on held batches",
    columns=[
        _required("DECISION_ID", _VARCHAR, "One decision"),
        _required("BATCH_ID", _VARCHAR, "The held batch decided on"),
        _SOURCE,
        _STREAM,
        _column(
            "BATCH_AFTER", _TIMESTAMP, "The held batch lower bound: the watermark the decision applies to"
        ),
        _required(
            "BATCH_THROUGH", _TIMESTAMP, "The held batch upper bound: what the decision releases or skips"
        ),
        _required(
            "DECISION",
            _VARCHAR,
            "release promotes the batch failing rows despite their checks, skip leaves those rows in RAW",
        ),
        _required("REASON", _VARCHAR, "Why, in the operator words"),
        _required("DECIDED_BY", _VARCHAR, "CURRENT_USER() of the operator"),
        _required("DECIDED_ROLE", _VARCHAR, "CURRENT_ROLE() of the operator"),
        _required("DECIDED_AT", _TIMESTAMP, "When"),
        _column("APPLIED_BATCH_ID", _VARCHAR, "The gate batch that applied the decision"),
        _column("APPLIED_AT", _TIMESTAMP, "When the gate applied it"),
        _column("OUTCOME", _VARCHAR, "applied, or refused when a later run held another batch first"),
    ],
)

# Every failing row of each stream's latest checked batch, so an operator can look at all of them.
_FAILING_ROWS = TableSpec(
    name=FAILING_ROWS,
    comment="Failing rows of the latest checked batch of each stream",
    columns=[
        _SOURCE,
        _STREAM,
        _required("BATCH_ID", _VARCHAR, "The batch checked"),
        _required("CHECK_NAME", _VARCHAR, "The check the row fails, e.g. unique(ID)"),
        _required("RAW_ID", _VARCHAR, "_AIRBYTE_RAW_ID of the row in RAW"),
        _required("FAILING_ROW", SnowflakeType.OBJECT, "The _AIRBYTE_RAW_ID and primary key of the row"),
    ],
)

# The rows an operator released or skipped: exempt from the checks from then on, and a skipped row never promoted.
_DECIDED_ROWS = TableSpec(
    name=DECIDED_ROWS,
    comment="Rows released or skipped by an operator decision",
    columns=[
        _SOURCE,
        _STREAM,
        _required(
            "RAW_ID",
            _VARCHAR,
            "_AIRBYTE_RAW_ID of the RAW row, or of the curated row whose removal was decided",
        ),
        _required("DECISION", _VARCHAR, "release or skip"),
        _required("DECISION_ID", _VARCHAR, f"The decision, see {DECISIONS}"),
        _required("BATCH_ID", _VARCHAR, "The held batch the row failed in"),
    ],
)

# By name, in the order the stack declares them: the order of their resources in the plan.
GATE_TABLES: Mapping[str, TableSpec] = {
    table.name: table for table in (_RESULTS, _BATCHES, _WATERMARKS, _DECISIONS, _FAILING_ROWS, _DECIDED_ROWS)
}
