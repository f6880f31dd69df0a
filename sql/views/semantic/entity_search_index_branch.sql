-- slot entity_type: literal
-- slot id_column: identifier
-- slot name_column: identifier
-- slot description_column: identifier
-- slot knowledge_schema: identifier
-- slot table: identifier
-- slot embeddings_table: identifier
SELECT
    {entity_type} AS ENTITY_TYPE,
    entity.{id_column} AS ENTITY_ID,
    entity.{name_column} AS NAME,
    entity.{description_column} AS DESCRIPTION,
    embedded.MODEL,
    embedded.EMBEDDING
FROM {knowledge_schema}.{table} AS entity
JOIN {knowledge_schema}.{embeddings_table} AS embedded
    ON embedded.ENTITY_ID = entity.{id_column}
