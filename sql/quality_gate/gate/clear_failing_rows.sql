-- slot failing_rows: identifier
-- Failing rows are kept for each stream's latest checked batch only.
DELETE FROM {failing_rows} WHERE SOURCE = ? AND STREAM = ?
