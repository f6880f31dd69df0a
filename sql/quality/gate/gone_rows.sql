SELECT curated.*
FROM {curated_table} AS curated
WHERE NOT EXISTS (SELECT 1 FROM {raw_table} AS raw WHERE {key_match})
    AND curated._AIRBYTE_RAW_ID NOT IN ({set_aside})
