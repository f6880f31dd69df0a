-- slot settle_minutes: integer
-- slot results: identifier
-- slot blocking_severity: literal
-- slot batches: identifier
-- slot problem_statuses: literal_list
-- New failing checks and gate problems since the alert last ran successfully. Rows are looked at once they
-- are {settle_minutes} minutes old, the gate task's timeout: by then the run that wrote them has committed
-- or rolled back, so consecutive windows see every committed row exactly once. A failure is new the first
-- time it is seen above a watermark: re-checks of the same held batch do not raise it again.
SELECT
    result.SOURCE,
    result.STREAM,
    result.CHECK_NAME AS PROBLEM,
    result.SEVERITY,
    result.FAILING_ROWS || ' of ' || result.ROWS_CHECKED || ' rows' AS DETAIL,
    result.BATCH_ID,
    result.CHECKED_AT AS SEEN_AT
FROM {results} AS result
WHERE NOT result.PASSED
    AND result.CHECKED_AT > TIMESTAMPADD(
        MINUTE, -{settle_minutes}, COALESCE(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(), TO_TIMESTAMP_TZ(0))
    )
    AND result.CHECKED_AT <= TIMESTAMPADD(MINUTE, -{settle_minutes}, SNOWFLAKE.ALERT.SCHEDULED_TIME())
    AND NOT EXISTS (
        SELECT 1
        FROM {results} AS earlier
        WHERE earlier.SOURCE = result.SOURCE
            AND earlier.STREAM = result.STREAM
            AND earlier.CHECK_NAME = result.CHECK_NAME
            AND earlier.BATCH_AFTER IS NOT DISTINCT FROM result.BATCH_AFTER
            AND NOT earlier.PASSED
            AND earlier.CHECKED_AT < result.CHECKED_AT
    )
UNION ALL
SELECT
    problem.SOURCE,
    problem.STREAM,
    problem.STATUS,
    {blocking_severity},
    problem.DETAIL,
    problem.BATCH_ID,
    problem.STARTED_AT
FROM {batches} AS problem
WHERE problem.STATUS IN ({problem_statuses})
    AND problem.STARTED_AT > TIMESTAMPADD(
        MINUTE, -{settle_minutes}, COALESCE(SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(), TO_TIMESTAMP_TZ(0))
    )
    AND problem.STARTED_AT <= TIMESTAMPADD(MINUTE, -{settle_minutes}, SNOWFLAKE.ALERT.SCHEDULED_TIME())
