-- slot knowledge_schema: identifier
-- slot embeddings_table: identifier
-- slot id_column: identifier
-- slot embed_columns: identifier_list
-- slot stream: identifier
-- slot model: literal
MERGE INTO {knowledge_schema}.{embeddings_table} AS target
USING (
    WITH latest AS (
        -- An update is a DELETE + INSERT pair in the stream; 'INSERT' sorts first, so each id keeps its
        -- newest image, and an id whose only row is a DELETE was really deleted.
        SELECT
            {id_column} AS ENTITY_ID,
            METADATA$ACTION AS CHANGE_ACTION,
            ARRAY_TO_STRING(ARRAY_COMPACT(ARRAY_CONSTRUCT({embed_columns})), ' ') AS EMBED_TEXT
        FROM {knowledge_schema}.{stream}
        QUALIFY ROW_NUMBER() OVER (PARTITION BY {id_column} ORDER BY METADATA$ACTION DESC) = 1
    ),
    hashed AS (
        SELECT ENTITY_ID, CHANGE_ACTION, EMBED_TEXT, SHA2(EMBED_TEXT, 256) AS TEXT_HASH
        FROM latest
    )
    -- Cortex is called only in this branch: rows whose text (or model) differs from what is stored.
    SELECT
        changed.ENTITY_ID,
        changed.CHANGE_ACTION,
        changed.TEXT_HASH,
        SNOWFLAKE.CORTEX.EMBED_TEXT_768({model}, changed.EMBED_TEXT) AS EMBEDDING
    FROM hashed AS changed
    LEFT JOIN {knowledge_schema}.{embeddings_table} AS stored
        ON stored.ENTITY_ID = changed.ENTITY_ID
    WHERE changed.CHANGE_ACTION = 'INSERT'
        AND (stored.TEXT_HASH IS DISTINCT FROM changed.TEXT_HASH OR stored.MODEL IS DISTINCT FROM {model})
    UNION ALL
    SELECT ENTITY_ID, CHANGE_ACTION, NULL, NULL
    FROM hashed
    WHERE CHANGE_ACTION = 'DELETE'
) AS source
ON target.ENTITY_ID = source.ENTITY_ID
WHEN MATCHED AND source.CHANGE_ACTION = 'DELETE' THEN DELETE
WHEN MATCHED THEN UPDATE SET
    TEXT_HASH = source.TEXT_HASH,
    EMBEDDING = source.EMBEDDING,
    MODEL = {model},
    EMBEDDED_AT = SYSDATE()
WHEN NOT MATCHED AND source.CHANGE_ACTION = 'INSERT' THEN INSERT (ENTITY_ID, TEXT_HASH, EMBEDDING, MODEL, EMBEDDED_AT)
    VALUES (source.ENTITY_ID, source.TEXT_HASH, source.EMBEDDING, {model}, SYSDATE())
