-- One result per check and batch, from the failing rows the check recorded; the first five by RAW id.
INSERT INTO {results} (
    RUN_ID, BATCH_ID, SOURCE, STREAM, CHECK_NAME, CHECK_TYPE, COLUMNS, SEVERITY, BATCH_AFTER, BATCH_THROUGH,
    ROWS_CHECKED, FAILING_ROWS, FAILING_KEYS, PASSED, CHECKED_AT
)
SELECT
    batch.RUN_ID,
    batch.BATCH_ID,
    batch.SOURCE,
    batch.STREAM,
    ?,
    ?,
    CAST(PARSE_JSON(?) AS ARRAY),
    ?,
    batch.BATCH_AFTER,
    batch.BATCH_THROUGH,
    batch.ROWS_IN_BATCH,
    failing.FAILING_ROWS,
    COALESCE(failing.FAILING_KEYS, ARRAY_CONSTRUCT()),
    failing.FAILING_ROWS = 0,
    CURRENT_TIMESTAMP()
FROM {batches} AS batch
CROSS JOIN (
    SELECT
        COUNT(*) AS FAILING_ROWS,
        ARRAY_AGG(CASE WHEN ranked.FAILING_RANK <= 5 THEN ranked.FAILING_ROW END)
            WITHIN GROUP (ORDER BY ranked.FAILING_RANK) AS FAILING_KEYS
    FROM (
        SELECT failing_row.FAILING_ROW, ROW_NUMBER() OVER (ORDER BY failing_row.RAW_ID) AS FAILING_RANK
        FROM {failing_rows} AS failing_row
        WHERE failing_row.BATCH_ID = ? AND failing_row.CHECK_NAME = ?
    ) AS ranked
) AS failing
WHERE batch.BATCH_ID = ?
