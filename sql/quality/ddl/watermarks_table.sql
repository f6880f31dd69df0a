-- slot watermarks: identifier
-- Per stream, how far RAW has been promoted; it advances in the transaction that merges the batch, and the
-- row is the stream's lock: each batch updates it first.
CREATE TABLE IF NOT EXISTS {watermarks} (
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table, as in the RAW and curated schemas',
    PROMOTED_THROUGH TIMESTAMP_TZ COMMENT 'Every RAW row extracted at or before this was checked; NULL before the first promotion',
    BATCH_ID VARCHAR COMMENT 'The batch that last advanced the watermark',
    LOCKED_BY VARCHAR COMMENT 'The gate run whose batch last locked the row: each batch locks it first',
    LOCKED_AT TIMESTAMP_TZ COMMENT 'When that batch locked it',
    UPDATED_AT TIMESTAMP_TZ NOT NULL COMMENT 'When it last advanced',
    PRIMARY KEY (SOURCE, STREAM)
) COMMENT = 'Data-quality gate watermarks, one per promoted stream'
