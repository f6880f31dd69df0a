-- slot information_schema: identifier
-- A table's columns and their full types, in order; NUMBER keeps its precision and scale. None for a RAW
-- table means it is not landed: Airbyte creates it on the stream's first sync (and re-creates it on a reset).
SELECT
    COLUMN_NAME,
    CASE
        WHEN DATA_TYPE = 'NUMBER' THEN 'NUMBER(' || NUMERIC_PRECISION || ',' || NUMERIC_SCALE || ')'
        ELSE DATA_TYPE
    END AS COLUMN_TYPE
FROM {information_schema}.COLUMNS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY ORDINAL_POSITION
