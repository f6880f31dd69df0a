-- An operator releases or skips a stream's held batch, recording who and why; the next gate run applies it.
-- A held batch takes one pending decision: a second one is refused until the gate has applied the first.
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
    AND NOT EXISTS (
        SELECT 1
        FROM {decisions} AS pending
        WHERE pending.SOURCE = held.SOURCE
            AND pending.STREAM = held.STREAM
            AND pending.BATCH_AFTER IS NOT DISTINCT FROM held.BATCH_AFTER
            AND pending.APPLIED_BATCH_ID IS NULL
    )
