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
