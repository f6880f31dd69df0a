-- slot entity_type: literal
-- slot embed_columns: identifier_list
-- slot model: literal
-- slot knowledge_schema: identifier
-- slot embeddings_table: identifier
-- slot table: identifier
-- slot id_column: identifier
-- slot min_coverage_pct: integer
-- No GROUP BY: an aggregate always returns one row, so an empty table still reports its entity type.
SELECT
    {entity_type} AS ENTITY_TYPE,
    COUNT(*) AS ROW_COUNT,
    COUNT(embedded.ENTITY_ID) AS EMBEDDED_COUNT,
    ROUND(100 * COUNT(embedded.ENTITY_ID) / NULLIF(COUNT(*), 0), 2) AS COVERAGE_PCT,
    COUNT(*) - COUNT(embedded.ENTITY_ID) AS MISSING_EMBEDDINGS,
    -- Stale: the vector no longer matches the text of the row, or came from another model.
    COUNT(CASE
        WHEN embedded.TEXT_HASH <> SHA2(ARRAY_TO_STRING(ARRAY_COMPACT(ARRAY_CONSTRUCT({embed_columns})), ' '), 256)
            OR embedded.MODEL <> {model}
        THEN 1
    END) AS STALE_EMBEDDINGS,
    -- Informational: includes edits to columns that are not embedded, which by design are not re-embedded.
    COUNT(CASE WHEN entity.UPDATED_AT > embedded.EMBEDDED_AT THEN 1 END) AS UPDATED_SINCE_EMBEDDED,
    (
        SELECT COUNT(*)
        FROM {knowledge_schema}.{embeddings_table} AS orphan
        WHERE NOT EXISTS (
            SELECT 1 FROM {knowledge_schema}.{table} AS source WHERE source.{id_column} = orphan.ENTITY_ID
        )
    ) AS ORPHANED_EMBEDDINGS,
    MAX(entity.UPDATED_AT) AS LAST_UPDATED_AT,
    MAX(embedded.EMBEDDED_AT) AS LAST_EMBEDDED_AT,
    -- The coverage contract: an empty table meets it, any other needs at least this share embedded.
    {min_coverage_pct} AS COVERAGE_EXPECTATION_PCT,
    COUNT(*) = 0 OR 100 * COUNT(embedded.ENTITY_ID) >= {min_coverage_pct} * COUNT(*) AS MEETS_COVERAGE
FROM {knowledge_schema}.{table} AS entity
LEFT JOIN {knowledge_schema}.{embeddings_table} AS embedded
    ON embedded.ENTITY_ID = entity.{id_column}
