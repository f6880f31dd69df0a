-- slot failing_rows: identifier
-- slot key_columns: identifier_list
-- slot columns: identifier_list
-- slot batch: fragment
-- dbt's unique, over a column set: a batch row fails when another row of the batch has the same values.
-- NULLs count as equal, as in Airbyte's dedup MERGE; not_null reports them on their own.
INSERT INTO {failing_rows} (SOURCE, STREAM, BATCH_ID, CHECK_NAME, RAW_ID, FAILING_ROW)
SELECT ?, ?, ?, ?, failing._AIRBYTE_RAW_ID, OBJECT_CONSTRUCT_KEEP_NULL(*)
FROM (
    SELECT counted._AIRBYTE_RAW_ID, {key_columns}
    FROM (
        SELECT raw.*, COUNT(*) OVER (PARTITION BY {columns}) AS ROWS_WITH_THESE_VALUES
        FROM ({batch}) AS raw
    ) AS counted
    WHERE counted.ROWS_WITH_THESE_VALUES > 1
) AS failing
