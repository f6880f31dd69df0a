-- An operator decision not yet applied, on a held batch above the current watermark.
SELECT
    decision.DECISION_ID,
    decision.DECISION,
    DATE_PART(EPOCH_NANOSECOND, decision.BATCH_THROUGH) AS THROUGH_NS
FROM {decisions} AS decision
WHERE decision.SOURCE = ?
    AND decision.STREAM = ?
    AND decision.BATCH_AFTER IS NOT DISTINCT FROM TO_TIMESTAMP_TZ(?, 9)
    AND decision.APPLIED_BATCH_ID IS NULL
ORDER BY decision.DECIDED_AT DESC
LIMIT 1
