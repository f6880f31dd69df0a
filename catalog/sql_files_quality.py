"""The data-quality gate's SQL files and their slots, registered in catalog.sql_files.SQL_FILES."""

from catalog.sql_slots import Slot, SqlFile

_NAME, _NAMES, _ENUM, _QUOTED = Slot.IDENTIFIER, Slot.IDENTIFIER_LIST, Slot.LITERAL, Slot.LITERAL_LIST
_NAME_TEXT, _INT, _URL, _SQL = Slot.NAME_LITERAL, Slot.INTEGER, Slot.WEBHOOK_URL, Slot.FRAGMENT
# `{{name}}` in the gate's statements is left for the gate to fill in when it runs.
_CHECK_SLOTS = {"failing_rows": _NAME, "key_columns": _NAMES, "batch": _SQL}
_STREAM_SLOTS = {"source": _ENUM, "stream": _ENUM}
_ALERT_WINDOW = {"settle_minutes": _INT}

QUALITY_FILES: tuple[SqlFile, ...] = (
    SqlFile(
        "quality/held_batches_view.sql",
        {
            "batches": _NAME,
            "results": _NAME,
            "checked_statuses": _QUOTED,
            "held_status": _ENUM,
            "blocking_severity": _ENUM,
        },
    ),
    SqlFile("quality/gate/table_columns.sql", {"information_schema": _NAME}),
    SqlFile("quality/gate/create_curated.sql", {"curated_table": _NAME, "raw_table": _NAME}),
    SqlFile("quality/gate/drop_curated.sql", {"curated_table": _NAME}),
    SqlFile("quality/gate/add_curated_column.sql", {"curated_table": _NAME}),
    SqlFile("quality/gate/ensure_watermark.sql", {"watermarks": _NAME}),
    SqlFile("quality/gate/lock_stream.sql", {"watermarks": _NAME}),
    SqlFile("quality/gate/read_watermark.sql", {"watermarks": _NAME}),
    SqlFile("quality/gate/pending_decision.sql", {"decisions": _NAME, "held_batches": _NAME}),
    SqlFile("quality/gate/held_batch.sql", {"held_batches": _NAME}),
    SqlFile(
        "quality/gate/record_decided_rows.sql",
        {"decided_rows": _NAME, "failing_rows": _NAME, "results": _NAME, "blocking_severity": _ENUM},
    ),
    SqlFile("quality/gate/key_match.sql", {"left": _NAME, "right": _NAME, "column": _NAME}),
    SqlFile("quality/gate/older_than.sql", {"older": _NAME, "newer": _NAME, "cursor_column": _NAME}),
    SqlFile("quality/gate/set_aside.sql", {**_STREAM_SLOTS, "decided_rows": _NAME, "set_aside": _QUOTED}),
    SqlFile(
        "quality/gate/batch_rows.sql",
        {
            "raw_table": _NAME,
            "curated_table": _NAME,
            "key_match": _SQL,
            "curated_older": _SQL,
            "set_aside": _SQL,
        },
    ),
    SqlFile(
        "quality/gate/gone_rows.sql",
        {"raw_table": _NAME, "curated_table": _NAME, "key_match": _SQL, "set_aside": _SQL},
    ),
    SqlFile("quality/gate/batch_bounds.sql", {"batch": _SQL, "gone": _SQL}),
    SqlFile("quality/gate/delete_gone.sql", {"curated_table": _NAME, "gone": _SQL}),
    SqlFile("quality/gate/record_batch.sql", {"batches": _NAME}),
    SqlFile("quality/gate/clear_failing_rows.sql", {"failing_rows": _NAME}),
    SqlFile("quality/checks/not_null.sql", {**_CHECK_SLOTS, "column": _NAME}),
    SqlFile("quality/checks/unique.sql", {**_CHECK_SLOTS, "columns": _NAMES}),
    SqlFile("quality/checks/accepted_values.sql", {**_CHECK_SLOTS, "column": _NAME}),
    SqlFile("quality/checks/airbyte_meta.sql", _CHECK_SLOTS),
    SqlFile(
        "quality/checks/delete_share.sql",
        {"failing_rows": _NAME, "key_columns": _NAMES, "gone": _SQL, "curated_table": _NAME},
    ),
    SqlFile(
        "quality/checks/late_rows.sql",
        {
            "failing_rows": _NAME,
            "key_columns": _NAMES,
            "raw_table": _NAME,
            "curated_table": _NAME,
            "key_match": _SQL,
            "curated_older": _SQL,
            "set_aside": _SQL,
        },
    ),
    SqlFile("quality/gate/record_results.sql", {"results": _NAME, "batches": _NAME, "failing_rows": _NAME}),
    SqlFile("quality/gate/blocking_failures.sql", {"results": _NAME, "blocking_severity": _ENUM}),
    SqlFile("quality/gate/advance_watermark.sql", {"watermarks": _NAME}),
    SqlFile(
        "quality/gate/merge_batch.sql",
        {
            "curated_table": _NAME,
            "batch": _SQL,
            "key_columns": _NAMES,
            "cursor_column": _NAME,
            "key_match": _SQL,
            "curated_older": _SQL,
        },
    ),
    SqlFile("quality/gate/merge_assignment.sql", {}),
    SqlFile("quality/gate/merge_clear_column.sql", {}),
    SqlFile("quality/gate/merge_insert_value.sql", {}),
    SqlFile("quality/gate/close_batch.sql", {"batches": _NAME}),
    SqlFile("quality/gate/apply_decision.sql", {"decisions": _NAME}),
    SqlFile("quality/decide_held_batch.sql", {"decisions": _NAME, "held_batches": _NAME}),
    SqlFile("quality/task_body.sql", {"procedure": _NAME}),
    SqlFile(
        "quality/alerts/new_failures.sql",
        {
            **_ALERT_WINDOW,
            "results": _NAME,
            "batches": _NAME,
            "blocking_severity": _ENUM,
            "problem_statuses": _QUOTED,
        },
    ),
    SqlFile("quality/alerts/held_too_long.sql", {"held_batches": _NAME, "max_hold_minutes": _INT}),
    SqlFile("quality/alerts/embedding_coverage.sql", {"freshness": _NAME, "min_coverage_pct": _INT}),
    SqlFile("quality/alerts/notify.sql", {"alert": _NAME_TEXT, "integration": _NAME_TEXT}),
    SqlFile("quality/alerts/notify_webhook.sql", {"alert": _NAME_TEXT, "integration": _NAME_TEXT}),
    SqlFile("quality/integrations/slack.sql", {"integration": _NAME, "secret": _NAME}),
    SqlFile("quality/integrations/teams.sql", {"integration": _NAME, "secret": _NAME, "webhook_url": _URL}),
    SqlFile("quality/integrations/pagerduty.sql", {"integration": _NAME, "secret": _NAME}),
    SqlFile("quality/integrations/drop_integration.sql", {"integration": _NAME}),
    SqlFile("quality/integrations/show_integration.sql", {"integration": _NAME}),
)
