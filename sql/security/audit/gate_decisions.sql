-- slot decisions: identifier
-- The operators' release and skip decisions on held batches: who decided, as which role, why, and which
-- gate run applied each (the data-quality gate's decisions table, read live: no latency).
SELECT
    DECISION_ID,
    BATCH_ID,
    SOURCE,
    STREAM,
    DECISION,
    REASON,
    DECIDED_BY,
    DECIDED_ROLE,
    DECIDED_AT,
    APPLIED_BATCH_ID,
    APPLIED_AT
FROM {decisions}
