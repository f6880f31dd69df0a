-- slot results: identifier
-- slot blocking_severity: literal
SELECT COUNT(*) AS BLOCKING
FROM {results}
WHERE BATCH_ID = ? AND NOT PASSED AND SEVERITY = {blocking_severity}
