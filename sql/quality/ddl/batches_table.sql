-- slot batches: identifier
-- One row per stream and gate pass: the batch bounds and what became of the batch.
CREATE TABLE IF NOT EXISTS {batches} (
    BATCH_ID VARCHAR NOT NULL COMMENT 'One gate pass over one stream',
    RUN_ID VARCHAR NOT NULL COMMENT 'The gate run (one procedure call) the pass belongs to',
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table, as in the RAW and curated schemas',
    STATUS VARCHAR NOT NULL COMMENT 'promoted, held, released, skipped, superseded, not_landed, invalid or error',
    BATCH_AFTER TIMESTAMP_TZ COMMENT 'Exclusive lower bound on _AIRBYTE_EXTRACTED_AT: the watermark, NULL before the first promotion',
    BATCH_THROUGH TIMESTAMP_TZ COMMENT 'Inclusive upper bound on _AIRBYTE_EXTRACTED_AT',
    ROWS_IN_BATCH NUMBER(38,0) COMMENT 'RAW rows between the bounds',
    MAX_GENERATION_ID NUMBER(38,0) COMMENT 'Highest _AIRBYTE_GENERATION_ID in the batch: a refresh raises it',
    PROMOTED_ROWS NUMBER(38,0) COMMENT 'Curated rows inserted or updated',
    DELETED_ROWS NUMBER(38,0) COMMENT 'Curated rows removed because RAW no longer holds their key (CDC delete, refresh)',
    DECISION_ID VARCHAR COMMENT 'The operator decision applied to the batch, if any',
    DETAIL VARCHAR COMMENT 'Why the stream was not checked: not landed, invalid columns or an error',
    STARTED_AT TIMESTAMP_TZ NOT NULL COMMENT 'When the pass began',
    FINISHED_AT TIMESTAMP_TZ COMMENT 'When the pass committed'
) COMMENT = 'Data-quality gate batches, one per stream and gate pass'
