-- slot watermarks: identifier
-- The stream's watermark row, the lock every batch of the stream takes first; MERGE, unlike INSERT ... WHERE NOT
-- EXISTS, takes the table's lock, so two first runs cannot both insert it (Snowflake transactions, locking).
MERGE INTO {watermarks} AS watermark
USING (SELECT ? AS SOURCE, ? AS STREAM) AS stream
ON watermark.SOURCE = stream.SOURCE AND watermark.STREAM = stream.STREAM
WHEN NOT MATCHED THEN INSERT (SOURCE, STREAM, UPDATED_AT) VALUES (stream.SOURCE, stream.STREAM, CURRENT_TIMESTAMP())
