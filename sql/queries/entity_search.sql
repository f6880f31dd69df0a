-- slot model: literal
-- slot semantic_schema: identifier
-- slot search_index: identifier
-- Bound by the caller (pyformat): query_text is the question to search for, top_k the number of results.
WITH query AS (
    SELECT SNOWFLAKE.CORTEX.EMBED_TEXT_768({model}, %(query_text)s) AS EMBEDDING
)
SELECT
    indexed.ENTITY_TYPE,
    indexed.ENTITY_ID,
    indexed.NAME,
    indexed.DESCRIPTION,
    VECTOR_COSINE_SIMILARITY(indexed.EMBEDDING, query.EMBEDDING) AS SCORE
FROM {semantic_schema}.{search_index} AS indexed
CROSS JOIN query
-- Vectors from different models are not comparable.
WHERE indexed.MODEL = {model}
ORDER BY SCORE DESC
LIMIT %(top_k)s
