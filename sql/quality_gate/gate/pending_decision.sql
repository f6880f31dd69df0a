-- slot decisions: identifier
-- slot held_batches: identifier
-- The operator decision not yet applied on the stream, and the batch the stream holds now: a decision made on
-- a batch that a later run re-held is refused, since its failing rows are no longer the ones held.
SELECT decision.DECISION_ID, decision.DECISION, decision.BATCH_ID, held.BATCH_ID AS HELD_BATCH_ID
FROM {decisions} AS decision
LEFT JOIN {held_batches} AS held
    ON held.SOURCE = decision.SOURCE AND held.STREAM = decision.STREAM
WHERE decision.SOURCE = ? AND decision.STREAM = ? AND decision.APPLIED_BATCH_ID IS NULL
ORDER BY decision.DECIDED_AT
LIMIT 1
