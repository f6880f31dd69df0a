-- slot curated_table: identifier
-- slot batch: fragment
-- slot key_columns: identifier_list
-- slot cursor_column: identifier
-- slot key_match: fragment
-- slot curated_older: fragment
-- The batch into curated by primary key: its newest row per key (by cursor, then extraction time), and only
-- over an older curated row, compared as Airbyte's own dedup MERGE does (SnowflakeDirectLoadSqlGenerator.kt).
-- The assignments and insert lists are filled in when the gate runs, from RAW's and curated's columns: RAW
-- gains columns as sources add fields, curated keeps every column it ever had, and a column RAW dropped is
-- set to NULL on an updated row, so no row mixes two versions.
MERGE INTO {curated_table} AS curated
USING (
    SELECT *
    FROM ({batch}) AS raw
    QUALIFY ROW_NUMBER() OVER (
        PARTITION BY {key_columns}
        ORDER BY raw.{cursor_column} DESC NULLS LAST, raw._AIRBYTE_EXTRACTED_AT DESC, raw._AIRBYTE_RAW_ID DESC
    ) = 1
) AS batch
ON {key_match}
WHEN MATCHED AND {curated_older} THEN UPDATE SET {{assignments}}
WHEN NOT MATCHED THEN INSERT ({{insert_columns}}) VALUES ({{insert_values}})
