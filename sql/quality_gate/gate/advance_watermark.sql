-- slot watermarks: identifier
-- Advances only from the watermark the batch started at, under the stream's lock.
UPDATE {watermarks}
SET PROMOTED_THROUGH = TO_TIMESTAMP_TZ(?, 9), BATCH_ID = ?, UPDATED_AT = CURRENT_TIMESTAMP()
WHERE SOURCE = ? AND STREAM = ? AND PROMOTED_THROUGH IS NOT DISTINCT FROM TO_TIMESTAMP_TZ(?, 9)
