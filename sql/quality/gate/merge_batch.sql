-- The batch into curated by primary key: its newest row per key (by cursor, then extraction time), and only
-- over an older curated row, compared as Airbyte's own dedup MERGE does (SnowflakeDirectLoadSqlGenerator.kt).
-- The key match, assignments and insert lists are filled in when the gate runs, from RAW's columns: RAW
-- gains columns as sources add fields, and curated keeps every column it ever had.
MERGE INTO {curated_table} AS curated
USING (
    SELECT *
    FROM {raw_table} AS raw
    WHERE raw._AIRBYTE_EXTRACTED_AT > TO_TIMESTAMP_TZ(?, 9) AND raw._AIRBYTE_EXTRACTED_AT <= TO_TIMESTAMP_TZ(?, 9)
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY {key_columns}
        ORDER BY raw.{cursor_column} DESC NULLS LAST, raw._AIRBYTE_EXTRACTED_AT DESC, raw._AIRBYTE_RAW_ID DESC
    ) = 1
) AS batch
ON {{key_match}}
WHEN MATCHED AND (
    curated.{cursor_column} < batch.{cursor_column}
    OR (curated.{cursor_column} = batch.{cursor_column} AND curated._AIRBYTE_EXTRACTED_AT < batch._AIRBYTE_EXTRACTED_AT)
    OR (curated.{cursor_column} IS NULL AND batch.{cursor_column} IS NULL AND curated._AIRBYTE_EXTRACTED_AT < batch._AIRBYTE_EXTRACTED_AT)
    OR (curated.{cursor_column} IS NULL AND batch.{cursor_column} IS NOT NULL)
) THEN UPDATE SET {{assignments}}
WHEN NOT MATCHED THEN INSERT ({{insert_columns}}) VALUES ({{insert_values}})
