-- slot failing_rows: identifier
-- slot key_columns: identifier_list
-- slot raw_table: identifier
-- slot curated_table: identifier
-- slot key_match: fragment
-- slot curated_older: fragment
-- slot set_aside: fragment
-- Rows committed too late for the overlap window: extracted at or before where the batch reads from, yet
-- curated holds neither them nor a newer row of their key. No later batch reads them, so they are reported.
INSERT INTO {failing_rows} (SOURCE, STREAM, BATCH_ID, CHECK_NAME, RAW_ID, FAILING_ROW)
SELECT ?, ?, ?, ?, failing._AIRBYTE_RAW_ID, OBJECT_CONSTRUCT_KEEP_NULL(*)
FROM (
    SELECT raw._AIRBYTE_RAW_ID, {key_columns}
    FROM {raw_table} AS raw
    WHERE raw._AIRBYTE_EXTRACTED_AT <= TO_TIMESTAMP_TZ(?, 9)
        AND NOT EXISTS (SELECT 1 FROM {curated_table} AS curated WHERE {key_match} AND NOT {curated_older})
        AND raw._AIRBYTE_RAW_ID NOT IN ({set_aside})
) AS failing
