-- slot decisions: identifier
-- Operator decisions on held batches, with who decided and why; the gate applies each once.
CREATE TABLE IF NOT EXISTS {decisions} (
    DECISION_ID VARCHAR NOT NULL COMMENT 'One decision',
    BATCH_ID VARCHAR NOT NULL COMMENT 'The held batch decided on',
    SOURCE VARCHAR NOT NULL COMMENT 'The Airbyte source, e.g. GONG',
    STREAM VARCHAR NOT NULL COMMENT 'The stream table',
    BATCH_AFTER TIMESTAMP_TZ COMMENT 'The held batch lower bound: the watermark the decision applies to',
    BATCH_THROUGH TIMESTAMP_TZ NOT NULL COMMENT 'The held batch upper bound: what the decision releases or skips',
    DECISION VARCHAR NOT NULL COMMENT 'release promotes the batch failing rows despite their checks, skip leaves those rows in RAW',
    REASON VARCHAR NOT NULL COMMENT 'Why, in the operator words',
    DECIDED_BY VARCHAR NOT NULL COMMENT 'CURRENT_USER() of the operator',
    DECIDED_ROLE VARCHAR NOT NULL COMMENT 'CURRENT_ROLE() of the operator',
    DECIDED_AT TIMESTAMP_TZ NOT NULL COMMENT 'When',
    APPLIED_BATCH_ID VARCHAR COMMENT 'The gate batch that applied the decision',
    APPLIED_AT TIMESTAMP_TZ COMMENT 'When the gate applied it',
    OUTCOME VARCHAR COMMENT 'applied, or refused when a later run held another batch first'
) COMMENT = 'Data-quality gate decisions on held batches'
