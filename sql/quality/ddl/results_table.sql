-- slot results: identifier
-- One row per check and batch: what the gate checked, over which rows, and what failed.
CREATE TABLE IF NOT EXISTS {results} (
    RUN_ID VARCHAR NOT NULL COMMENT 'The gate run (one procedure call) that checked the batch',
    BATCH_ID VARCHAR NOT NULL COMMENT 'The batch checked, see QUALITY_GATE_BATCHES',
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table, as in the RAW and curated schemas',
    CHECK_NAME VARCHAR NOT NULL COMMENT 'The check and its columns, e.g. not_null(ID)',
    CHECK_TYPE VARCHAR NOT NULL COMMENT 'dbt generic test: not_null, unique or accepted_values',
    COLUMNS ARRAY NOT NULL COMMENT 'The columns checked',
    SEVERITY VARCHAR NOT NULL COMMENT 'error holds the batch when the check fails, warn only records it',
    BATCH_AFTER TIMESTAMP_TZ COMMENT 'Exclusive lower bound on _AIRBYTE_EXTRACTED_AT: the watermark, NULL before the first promotion',
    BATCH_THROUGH TIMESTAMP_TZ NOT NULL COMMENT 'Inclusive upper bound on _AIRBYTE_EXTRACTED_AT',
    ROWS_CHECKED NUMBER(38,0) NOT NULL COMMENT 'RAW rows in the batch',
    FAILING_ROWS NUMBER(38,0) NOT NULL COMMENT 'Rows of the batch that fail the check',
    FAILING_KEYS ARRAY NOT NULL COMMENT 'Up to five failing rows: their _AIRBYTE_RAW_ID and primary key',
    PASSED BOOLEAN NOT NULL COMMENT 'No row failed',
    CHECKED_AT TIMESTAMP_TZ NOT NULL COMMENT 'When the check ran'
) COMMENT = 'Data-quality gate results, one per check and batch'
