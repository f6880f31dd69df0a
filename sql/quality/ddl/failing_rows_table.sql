-- slot failing_rows: identifier
-- Every failing row of each stream's latest checked batch, so an operator can look at all of them.
CREATE TABLE IF NOT EXISTS {failing_rows} (
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table',
    BATCH_ID VARCHAR NOT NULL COMMENT 'The batch checked',
    CHECK_NAME VARCHAR NOT NULL COMMENT 'The check the row fails, e.g. unique(ID)',
    RAW_ID VARCHAR NOT NULL COMMENT '_AIRBYTE_RAW_ID of the row in RAW',
    FAILING_ROW OBJECT NOT NULL COMMENT 'The _AIRBYTE_RAW_ID and primary key of the row'
) COMMENT = 'Failing rows of the latest checked batch of each stream'
