-- slot watermarks: identifier
-- The promoted watermark as epoch nanoseconds: an exact bound to bind back, so RAW micro-partitions prune.
SELECT DATE_PART(EPOCH_NANOSECOND, watermark.PROMOTED_THROUGH) AS AFTER_NS
FROM {watermarks} AS watermark
WHERE watermark.SOURCE = ? AND watermark.STREAM = ?
