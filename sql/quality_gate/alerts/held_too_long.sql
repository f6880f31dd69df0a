-- slot max_hold_minutes: integer
-- slot held_batches: identifier
-- Streams held for {max_hold_minutes} minutes: raised once, in the alert run during which the hold crosses it.
SELECT held.SOURCE, held.STREAM, held.BATCH_ID, held.HELD_SINCE, held.ROWS_IN_BATCH, held.FAILING_CHECKS
FROM {held_batches} AS held
WHERE held.HELD_SINCE > TIMESTAMPADD(
        MINUTE, -{max_hold_minutes}, COALESCE(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(), TO_TIMESTAMP_TZ(0))
    )
    AND held.HELD_SINCE <= TIMESTAMPADD(MINUTE, -{max_hold_minutes}, SNOWFLAKE.ALERT.SCHEDULED_TIME())
