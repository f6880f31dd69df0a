-- slot failing_rows: identifier
-- slot key_columns: identifier_list
-- slot batch: fragment
-- Airbyte's own record of what it changed: a value it could not type is nulled (or one too large truncated)
-- and listed in _AIRBYTE_META.changes (field DURATION, change NULLED, reason DESTINATION_SERIALIZATION_ERROR,
-- say); a batch row fails when the list is not empty.
INSERT INTO {failing_rows} (SOURCE, STREAM, BATCH_ID, CHECK_NAME, RAW_ID, FAILING_ROW)
SELECT ?, ?, ?, ?, failing._AIRBYTE_RAW_ID, OBJECT_CONSTRUCT_KEEP_NULL(*)
FROM (
    SELECT raw._AIRBYTE_RAW_ID, {key_columns}, raw._AIRBYTE_META:changes AS CHANGES
    FROM ({batch}) AS raw
    WHERE ARRAY_SIZE(raw._AIRBYTE_META:changes) > 0
) AS failing
