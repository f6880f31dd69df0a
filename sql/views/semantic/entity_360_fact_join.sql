-- slot knowledge_schema: identifier
-- slot relationships: identifier
-- slot entity_type: literal
-- slot relationship_type: literal
-- slot alias: identifier
-- slot id_column: identifier

LEFT JOIN (
    SELECT FROM_ENTITY_ID, COUNT(*) AS FACT_COUNT, MAX(UPDATED_AT) AS LAST_FACT_AT
    FROM {knowledge_schema}.{relationships}
    WHERE FROM_ENTITY_TYPE = {entity_type} AND RELATIONSHIP_TYPE = {relationship_type}
    GROUP BY FROM_ENTITY_ID
) AS {alias}
    ON {alias}.FROM_ENTITY_ID = entity.{id_column}
