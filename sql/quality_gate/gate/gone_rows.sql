-- slot curated_table: identifier
-- slot raw_table: identifier
-- slot key_match: fragment
-- slot set_aside: fragment
SELECT curated.*
FROM {curated_table} AS curated
WHERE NOT EXISTS (SELECT 1 FROM {raw_table} AS raw WHERE {key_match})
    AND curated._AIRBYTE_RAW_ID NOT IN ({set_aside})
