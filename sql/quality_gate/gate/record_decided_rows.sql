-- slot decided_rows: identifier
-- slot failing_rows: identifier
-- slot results: identifier
-- slot blocking_severity: literal
-- A release or skip covers the rows that failed a blocking check in the batch decided on, and no other row.
INSERT INTO {decided_rows} (SOURCE, STREAM, RAW_ID, DECISION, DECISION_ID, BATCH_ID)
SELECT DISTINCT failing.SOURCE, failing.STREAM, failing.RAW_ID, ?, ?, failing.BATCH_ID
FROM {failing_rows} AS failing
JOIN {results} AS result
    ON result.BATCH_ID = failing.BATCH_ID AND result.CHECK_NAME = failing.CHECK_NAME
WHERE failing.BATCH_ID = ? AND NOT result.PASSED AND result.SEVERITY = {blocking_severity}
