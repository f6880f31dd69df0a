-- slot entity_type: literal
-- slot id_column: identifier
-- slot name_column: identifier
-- slot embed_columns: identifier_list
-- slot knowledge_schema: identifier
-- slot table: identifier
SELECT
    {entity_type} AS ENTITY_TYPE,
    entity.{id_column} AS ENTITY_ID,
    entity.{name_column} AS NAME,
    ARRAY_TO_STRING(ARRAY_COMPACT(ARRAY_CONSTRUCT({embed_columns})), ' ') AS SEARCH_TEXT,
    entity.UPDATED_AT
FROM {knowledge_schema}.{table} AS entity
