-- The first promotion of a stream; inserts nothing if another run promoted it meanwhile.
INSERT INTO {watermarks} (SOURCE, STREAM, PROMOTED_THROUGH, BATCH_ID, UPDATED_AT)
SELECT ?, ?, TO_TIMESTAMP_TZ(?, 9), ?, CURRENT_TIMESTAMP()
WHERE NOT EXISTS (SELECT 1 FROM {watermarks} WHERE SOURCE = ? AND STREAM = ?)
