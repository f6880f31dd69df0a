"""One promoted stream's part of the gate's plan: its statements rendered, and its checks from CHECK_KINDS."""

# What a batch is. Airbyte's Snowflake destination (4.x, direct load) changes a deduplicated stream's RAW table
# with one MERGE per sync (DirectLoadTableDedupStreamLoader, upsertTable in SnowflakeDirectLoadSqlGenerator.kt):
# a new or changed record gets a new _AIRBYTE_RAW_ID and its _AIRBYTE_EXTRACTED_AT, a CDC delete removes the
# row (WHEN MATCHED AND _ab_cdc_deleted_at IS NOT NULL THEN DELETE), and a truncate refresh swaps in a table of
# a new _AIRBYTE_GENERATION_ID without the rows the source no longer has (DirectLoadTableDedupTruncateStreamLoader).
# So a batch is every RAW row extracted after the watermark less an overlap window that curated does not hold
# yet (a row committed late, below the watermark, is one), plus removing every curated row whose key RAW no
# longer holds. Re-reading the window is cheap and idempotent (newest wins); a row older than the window that
# curated does not reflect is reported by the late_rows check.

from collections.abc import Mapping, Sequence
from typing import Any

from catalog.quality_gate.handler import Decision
from catalog.quality_gate.objects import BATCHES, HELD_BATCHES, GateObjects, PromotedStream
from catalog.sql_files import SqlFragment, SqlLiteral, SqlValue, join_fragments, render_fragment, render_sql
from models.naming import Naming
from models.quality_gate import CHECK_KINDS, GateCheck, GateSettings, built_in_checks


def stream_plan(objects: GateObjects, stream: PromotedStream, settings: GateSettings) -> dict[str, Any]:
    """What the handler runs for one stream: its statements, with the fragments they share, and its checks."""
    raw_schema, curated_schema = Naming.raw_schema(stream.source), Naming.curated_schema(stream.source)
    values = _stream_values(objects, stream)
    checks = (*stream.checks, *built_in_checks(stream.key_columns, stream.cursor_column, settings))
    checked = {**values, **_checked(stream, values)}
    return {
        "stream": stream.table,
        "raw_schema": raw_schema,
        "curated_schema": curated_schema,
        "required_columns": stream.required_columns,
        "create_curated": render_sql("quality_gate/gate/create_curated.sql", **values),
        "attach_row_access": _attach_row_access(stream, values),
        "row_access_attached": render_sql(
            "security/row_access/show_attachment.sql",
            information_schema=objects.naming.in_database_unquoted("INFORMATION_SCHEMA"),
            table_name=SqlLiteral(str(values["curated_table"])),
        ),
        "drop_curated": render_sql("quality_gate/gate/drop_curated.sql", **values),
        "add_curated_column": render_sql("quality_gate/gate/add_curated_column.sql", **values),
        "batch_bounds": render_sql("quality_gate/gate/batch_bounds.sql", **values),
        "merge": render_sql("quality_gate/gate/merge_batch.sql", **values),
        "delete_gone": render_sql("quality_gate/gate/delete_gone.sql", **values),
        "merge_fragments": {
            "assignment": render_sql("quality_gate/gate/merge_assignment.sql"),
            "clear": render_sql("quality_gate/gate/merge_clear_column.sql"),
            "insert_value": render_sql("quality_gate/gate/merge_insert_value.sql"),
        },
        "checks": [_check_plan(check, checked) for check in checks],
    }


def _attach_row_access(stream: PromotedStream, values: Mapping[str, SqlValue]) -> str | None:
    """ALTER TABLE ... ADD ROW ACCESS POLICY for the curated table, run as it is created; None if unrestricted.

    It needs OWNERSHIP of the table and APPLY on the policy (ALTER TABLE, access control requirements, and
    ALTER TABLE ... ROW ACCESS POLICY in the row access policy privileges): the gate runs with its owner's
    rights, and the owner creates both the curated table and the policy.
    """
    if stream.row_access is None:
        return None
    policy, column = stream.row_access
    return render_sql(
        "security/row_access/attach.sql", table=values["curated_table"], policy=policy, column=column
    )


def _stream_values(objects: GateObjects, stream: PromotedStream) -> dict[str, SqlValue]:
    """The stream's names and the fragments its statements share; the merge reads every row but skipped ones."""
    raw_schema, curated_schema = Naming.raw_schema(stream.source), Naming.curated_schema(stream.source)
    values: dict[str, SqlValue] = {
        **objects.sql_values(),
        "raw_table": objects.naming.in_database_unquoted(raw_schema, stream.table),
        "curated_table": objects.naming.in_database_unquoted(curated_schema, stream.table),
        "key_columns": stream.key_columns,
        "cursor_column": stream.cursor_column,
        "source": SqlLiteral(stream.source),
        "stream": SqlLiteral(stream.table),
    }
    return {
        **values,
        "key_match": _key_match(stream, "CURATED", "BATCH"),
        "curated_older": _older(stream, "CURATED", "BATCH"),
        **_batch_fragments(stream, values, (Decision.SKIP,)),
    }


def _checked(stream: PromotedStream, values: Mapping[str, SqlValue]) -> dict[str, SqlValue]:
    """What the checks read instead: released rows are exempt too, and late rows compare curated with RAW."""
    return {
        **_batch_fragments(stream, values, tuple(Decision)),
        "key_match": _key_match(stream, "CURATED", "RAW"),
        "curated_older": _older(stream, "CURATED", "RAW"),
    }


def _batch_fragments(
    stream: PromotedStream, values: Mapping[str, SqlValue], decisions: Sequence[Decision]
) -> dict[str, SqlFragment]:
    """The batch's RAW rows and the curated rows it removes, without the rows `decisions` set aside.

    A row below the watermark is in the batch only while curated holds no row of its key as new as it.
    """
    compared = {
        **values,
        "key_match": _key_match(stream, "CURATED", "RAW"),
        "curated_older": _older(stream, "CURATED", "RAW"),
        "set_aside": render_fragment(
            "quality_gate/gate/set_aside.sql", **{**values, "set_aside": list(decisions)}
        ),
    }
    return {
        "set_aside": compared["set_aside"],
        "batch": render_fragment("quality_gate/gate/batch_rows.sql", **compared),
        "gone": render_fragment("quality_gate/gate/gone_rows.sql", **compared),
    }


def _key_match(stream: PromotedStream, left: str, right: str) -> SqlFragment:
    matches = [
        render_fragment("quality_gate/gate/key_match.sql", left=left, right=right, column=column)
        for column in stream.key_columns
    ]
    return join_fragments(" AND ", matches)


def _older(stream: PromotedStream, older: str, newer: str) -> SqlFragment:
    return render_fragment(
        "quality_gate/gate/older_than.sql", older=older, newer=newer, cursor_column=stream.cursor_column
    )


def _check_plan(check: GateCheck, values: Mapping[str, SqlValue]) -> dict[str, Any]:
    spec = CHECK_KINDS[check.kind]
    return {
        "name": check.name,
        "type": check.kind.value,
        "columns": list(check.columns),
        "severity": check.severity.value,
        "values": list(check.values),
        "binds": list(spec.binds),
        "sql": render_sql(spec.sql, **values, column=check.columns[0], columns=check.columns),
    }


# The statements every stream of a source shares, by the name the handler runs them by.
_SHARED_STATEMENTS = {
    "table_columns": "quality_gate/gate/table_columns.sql",
    "ensure_watermark": "quality_gate/gate/ensure_watermark.sql",
    "lock_stream": "quality_gate/gate/lock_stream.sql",
    "read_watermark": "quality_gate/gate/read_watermark.sql",
    "pending_decision": "quality_gate/gate/pending_decision.sql",
    "record_decided_rows": "quality_gate/gate/record_decided_rows.sql",
    "record_batch": "quality_gate/gate/record_batch.sql",
    "clear_failing_rows": "quality_gate/gate/clear_failing_rows.sql",
    "record_results": "quality_gate/gate/record_results.sql",
    "blocking_failures": "quality_gate/gate/blocking_failures.sql",
    "advance_watermark": "quality_gate/gate/advance_watermark.sql",
    "close_batch": "quality_gate/gate/close_batch.sql",
    "apply_decision": "quality_gate/gate/apply_decision.sql",
}


def gate_plan(
    objects: GateObjects, source: str, streams: Sequence[PromotedStream], settings: GateSettings
) -> dict[str, Any]:
    """Everything the gate's handler runs for one source, rendered: shared statements, then per stream."""
    values = objects.sql_values()
    shared = {name: render_sql(path, **values) for name, path in _SHARED_STATEMENTS.items()}
    return {
        "source": source,
        "batches": objects.ops(BATCHES),
        "held_batches": objects.ops(HELD_BATCHES),
        "overlap_ns": settings.overlap_minutes * 60 * 10**9,
        "max_delete_share": settings.max_delete_share,
        "statements": shared,
        "streams": [stream_plan(objects, stream, settings) for stream in streams],
    }
