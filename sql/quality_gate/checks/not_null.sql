-- slot column: identifier
-- slot failing_rows: identifier
-- slot key_columns: identifier_list
-- slot batch: fragment
-- dbt's not_null: a batch row fails when {column} is NULL.
INSERT INTO {failing_rows} (SOURCE, STREAM, BATCH_ID, CHECK_NAME, RAW_ID, FAILING_ROW)
SELECT ?, ?, ?, ?, failing._AIRBYTE_RAW_ID, OBJECT_CONSTRUCT_KEEP_NULL(*)
FROM (
    SELECT raw._AIRBYTE_RAW_ID, {key_columns}
    FROM ({batch}) AS raw
    WHERE raw.{column} IS NULL
) AS failing
