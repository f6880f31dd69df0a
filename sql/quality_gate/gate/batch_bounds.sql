-- slot gone: fragment
-- slot batch: fragment
-- The batch: RAW rows extracted after the watermark less the overlap window that curated does not hold yet
-- (a row committed late, below the watermark, is among them) and that no skip set aside; and the curated rows
-- whose key RAW no longer holds, which the batch removes.
SELECT
    COUNT(*) AS ROWS_IN_BATCH,
    DATE_PART(EPOCH_NANOSECOND, MAX(batch._AIRBYTE_EXTRACTED_AT)) AS THROUGH_NS,
    MAX(batch._AIRBYTE_GENERATION_ID) AS MAX_GENERATION_ID,
    (SELECT COUNT(*) FROM ({gone}) AS gone) AS GONE_ROWS
FROM ({batch}) AS batch
