-- Per stream, how far RAW has been promoted; it advances in the transaction that merges the batch.
CREATE TABLE IF NOT EXISTS {watermarks} (
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table, as in the RAW and curated schemas',
    PROMOTED_THROUGH TIMESTAMP_TZ NOT NULL COMMENT 'Every RAW row extracted at or before this was promoted, released or skipped',
    BATCH_ID VARCHAR NOT NULL COMMENT 'The batch that last advanced the watermark',
    UPDATED_AT TIMESTAMP_TZ NOT NULL COMMENT 'When it last advanced',
    PRIMARY KEY (SOURCE, STREAM)
) COMMENT = 'Data-quality gate watermarks, one per promoted stream'
