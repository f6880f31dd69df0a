-- slot raw_table: identifier
-- slot curated_table: identifier
-- slot key_match: fragment
-- slot curated_older: fragment
-- slot set_aside: fragment
SELECT raw.*
FROM {raw_table} AS raw
WHERE raw._AIRBYTE_EXTRACTED_AT > TO_TIMESTAMP_TZ(?, 9)
    AND raw._AIRBYTE_EXTRACTED_AT <= COALESCE(TO_TIMESTAMP_TZ(?, 9), raw._AIRBYTE_EXTRACTED_AT)
    AND (
        raw._AIRBYTE_EXTRACTED_AT > TO_TIMESTAMP_TZ(?, 9)
        OR NOT EXISTS (SELECT 1 FROM {curated_table} AS curated WHERE {key_match} AND NOT {curated_older})
    )
    AND raw._AIRBYTE_RAW_ID NOT IN ({set_aside})
