-- slot curated_table: identifier
-- slot gone: fragment
-- What Airbyte removed from RAW leaves curated with the batch: a CDC hard delete (its dedup MERGE's WHEN MATCHED
-- AND _ab_cdc_deleted_at IS NOT NULL THEN DELETE) and a truncate refresh (a new generation swapped in without
-- the rows the source no longer has); the keys RAW no longer holds, unless an operator skipped their removal.
DELETE FROM {curated_table} AS curated
WHERE curated._AIRBYTE_RAW_ID IN (SELECT gone._AIRBYTE_RAW_ID FROM ({gone}) AS gone)
