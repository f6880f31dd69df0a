-- slot failing_rows: identifier
-- slot key_columns: identifier_list
-- slot gone: fragment
-- slot curated_table: identifier
-- The delete guard: when the batch would remove more than the allowed share of curated, every curated row it
-- would remove fails, and the batch is held like any failing one.
INSERT INTO {failing_rows} (SOURCE, STREAM, BATCH_ID, CHECK_NAME, RAW_ID, FAILING_ROW)
SELECT ?, ?, ?, ?, failing._AIRBYTE_RAW_ID, OBJECT_CONSTRUCT_KEEP_NULL(*)
FROM (
    SELECT gone._AIRBYTE_RAW_ID, {key_columns}
    FROM ({gone}) AS gone
) AS failing
WHERE (SELECT COUNT(*) FROM ({gone}) AS counted) > ? * (SELECT COUNT(*) FROM {curated_table})
