-- Airbyte creates a stream's RAW table on the first sync (and re-creates it on a reset): before that the
-- stream is not landed, which is not an error.
SELECT COUNT(*) AS LANDED
FROM {information_schema}.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
