-- slot results: identifier
-- slot batches: identifier
-- slot failing_rows: identifier
-- One result per declared check and batch, from the failing rows the checks recorded; the first five by RAW id.
INSERT INTO {results} (
    RUN_ID, BATCH_ID, SOURCE, STREAM, CHECK_NAME, CHECK_TYPE, COLUMNS, SEVERITY, BATCH_AFTER, BATCH_THROUGH,
    ROWS_CHECKED, FAILING_ROWS, FAILING_KEYS, PASSED, CHECKED_AT
)
SELECT
    batch.RUN_ID,
    batch.BATCH_ID,
    batch.SOURCE,
    batch.STREAM,
    declared.VALUE:name::VARCHAR,
    declared.VALUE:type::VARCHAR,
    CAST(declared.VALUE:columns AS ARRAY),
    declared.VALUE:severity::VARCHAR,
    batch.BATCH_AFTER,
    batch.BATCH_THROUGH,
    batch.ROWS_IN_BATCH,
    COALESCE(failing.FAILING_ROWS, 0),
    COALESCE(failing.FAILING_KEYS, ARRAY_CONSTRUCT()),
    failing.FAILING_ROWS IS NULL,
    CURRENT_TIMESTAMP()
FROM {batches} AS batch
CROSS JOIN TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS declared
LEFT JOIN (
    SELECT
        ranked.CHECK_NAME,
        COUNT(*) AS FAILING_ROWS,
        ARRAY_AGG(CASE WHEN ranked.FAILING_RANK <= 5 THEN ranked.FAILING_ROW END)
            WITHIN GROUP (ORDER BY ranked.FAILING_RANK) AS FAILING_KEYS
    FROM (
        SELECT
            failing_row.CHECK_NAME,
            failing_row.FAILING_ROW,
            ROW_NUMBER() OVER (PARTITION BY failing_row.CHECK_NAME ORDER BY failing_row.RAW_ID) AS FAILING_RANK
        FROM {failing_rows} AS failing_row
        WHERE failing_row.BATCH_ID = ?
    ) AS ranked
    GROUP BY ranked.CHECK_NAME
) AS failing
    ON failing.CHECK_NAME = declared.VALUE:name::VARCHAR
WHERE batch.BATCH_ID = ?
