-- slot watermarks: identifier
-- A batch's first statement: it locks the stream's watermark row until the batch commits or rolls back, so a
-- second run of the stream (a CALL during the scheduled one) waits here and then reads the new watermark.
UPDATE {watermarks} SET LOCKED_BY = ?, LOCKED_AT = CURRENT_TIMESTAMP() WHERE SOURCE = ? AND STREAM = ?
