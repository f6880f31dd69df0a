-- The batch: RAW rows extracted after the watermark, up to a held batch's bound when a decision caps it.
SELECT
    COUNT(*) AS ROWS_IN_BATCH,
    DATE_PART(EPOCH_NANOSECOND, MAX(raw._AIRBYTE_EXTRACTED_AT)) AS THROUGH_NS,
    MAX(raw._AIRBYTE_GENERATION_ID) AS MAX_GENERATION_ID
FROM {raw_table} AS raw
WHERE raw._AIRBYTE_EXTRACTED_AT > TO_TIMESTAMP_TZ(?, 9)
    AND (? IS NULL OR raw._AIRBYTE_EXTRACTED_AT <= TO_TIMESTAMP_TZ(?, 9))
