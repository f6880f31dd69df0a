-- The first promotion of a stream; inserts nothing if another run promoted it meanwhile.
INSERT INTO {watermarks} (SOURCE, STREAM, PROMOTED_THROUGH, BATCH_ID, UPDATED_AT)
SELECT first.SOURCE, first.STREAM, first.PROMOTED_THROUGH, first.BATCH_ID, CURRENT_TIMESTAMP()
FROM (SELECT ? AS SOURCE, ? AS STREAM, TO_TIMESTAMP_TZ(?, 9) AS PROMOTED_THROUGH, ? AS BATCH_ID) AS first
WHERE NOT EXISTS (
    SELECT 1 FROM {watermarks} AS promoted WHERE promoted.SOURCE = first.SOURCE AND promoted.STREAM = first.STREAM
)
