-- slot decided_rows: identifier
-- The rows an operator released or skipped: exempt from the checks from then on, and a skipped row never promoted.
CREATE TABLE IF NOT EXISTS {decided_rows} (
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table',
    RAW_ID VARCHAR NOT NULL COMMENT '_AIRBYTE_RAW_ID of the RAW row, or of the curated row whose removal was decided',
    DECISION VARCHAR NOT NULL COMMENT 'release or skip',
    DECISION_ID VARCHAR NOT NULL COMMENT 'The decision, see QUALITY_GATE_DECISIONS',
    BATCH_ID VARCHAR NOT NULL COMMENT 'The held batch the row failed in'
) COMMENT = 'Rows released or skipped by an operator decision'
