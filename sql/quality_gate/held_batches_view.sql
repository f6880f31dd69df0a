-- slot batches: identifier
-- slot checked_statuses: literal_list
-- slot held_status: literal
-- slot results: identifier
-- slot blocking_severity: literal
-- Streams whose latest checked batch was held: none of it was promoted, its rows wait in RAW above the
-- watermark. The hold began with the first held batch above that same watermark.
SELECT
    latest.SOURCE,
    latest.STREAM,
    latest.BATCH_ID,
    latest.BATCH_AFTER,
    latest.BATCH_THROUGH,
    latest.ROWS_IN_BATCH,
    hold.HELD_SINCE,
    latest.STARTED_AT AS LAST_CHECKED_AT,
    failing.FAILING_CHECKS
FROM (
    SELECT checked.*
    FROM {batches} AS checked
    WHERE checked.STATUS IN ({checked_statuses})
    QUALIFY ROW_NUMBER() OVER (PARTITION BY checked.SOURCE, checked.STREAM ORDER BY checked.STARTED_AT DESC) = 1
) AS latest
JOIN (
    SELECT held.SOURCE, held.STREAM, held.BATCH_AFTER, MIN(held.STARTED_AT) AS HELD_SINCE
    FROM {batches} AS held
    WHERE held.STATUS = {held_status}
    GROUP BY held.SOURCE, held.STREAM, held.BATCH_AFTER
) AS hold
    ON hold.SOURCE = latest.SOURCE
    AND hold.STREAM = latest.STREAM
    AND hold.BATCH_AFTER IS NOT DISTINCT FROM latest.BATCH_AFTER
JOIN (
    SELECT result.BATCH_ID, ARRAY_AGG(result.CHECK_NAME) WITHIN GROUP (ORDER BY result.CHECK_NAME) AS FAILING_CHECKS
    FROM {results} AS result
    WHERE NOT result.PASSED AND result.SEVERITY = {blocking_severity}
    GROUP BY result.BATCH_ID
) AS failing
    ON failing.BATCH_ID = latest.BATCH_ID
WHERE latest.STATUS = {held_status}
