-- slot column: identifier
-- slot failing_rows: identifier
-- slot key_columns: identifier_list
-- slot batch: fragment
-- dbt's accepted_values: a batch row fails when {column} holds a value not in the list; values compare as
-- text and NULL is left to not_null, as in dbt.
INSERT INTO {failing_rows} (SOURCE, STREAM, BATCH_ID, CHECK_NAME, RAW_ID, FAILING_ROW)
SELECT ?, ?, ?, ?, failing._AIRBYTE_RAW_ID, OBJECT_CONSTRUCT_KEEP_NULL(*)
FROM (
    SELECT raw._AIRBYTE_RAW_ID, {key_columns}
    FROM ({batch}) AS raw
    WHERE raw.{column} IS NOT NULL
        AND TO_VARCHAR(raw.{column}) NOT IN (
            SELECT accepted.VALUE::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS accepted
        )
) AS failing
