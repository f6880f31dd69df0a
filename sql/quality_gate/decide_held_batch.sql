-- slot decisions: identifier
-- slot held_batches: identifier
-- An operator releases or skips the failing rows of the batch a stream holds, named by its id, recording who
-- and why; the next gate run applies it. Refused unless that batch is the one held now, and while another
-- decision on the stream is pending.
INSERT INTO {decisions} (
    DECISION_ID, BATCH_ID, SOURCE, STREAM, BATCH_AFTER, BATCH_THROUGH, DECISION, REASON, DECIDED_BY,
    DECIDED_ROLE, DECIDED_AT
)
SELECT
    UUID_STRING(),
    held.BATCH_ID,
    held.SOURCE,
    held.STREAM,
    held.BATCH_AFTER,
    held.BATCH_THROUGH,
    ?,
    ?,
    CURRENT_USER(),
    CURRENT_ROLE(),
    CURRENT_TIMESTAMP()
FROM {held_batches} AS held
WHERE held.SOURCE = ?
    AND held.STREAM = ?
    AND held.BATCH_ID = ?
    AND NOT EXISTS (
        SELECT 1
        FROM {decisions} AS pending
        WHERE pending.SOURCE = held.SOURCE AND pending.STREAM = held.STREAM AND pending.APPLIED_BATCH_ID IS NULL
    )
