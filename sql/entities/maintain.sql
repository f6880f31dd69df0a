-- slot entity_table: identifier
-- slot key_name: literal
-- slot key_field: identifier
-- slot stream: identifier
-- slot id_column: identifier
-- slot select_list: fragment
-- slot owns_row: fragment
-- slot changed: fragment
-- slot assignments: fragment
-- slot insert_columns: identifier_list
-- slot insert_values: fragment
-- One micro-batch of a curated stream into its knowledge entity, read from a standard stream on the curated
-- table: an update is a DELETE + INSERT pair and 'INSERT' sorts first, so each entity keeps its newest image,
-- and an entity whose only change is a DELETE was deleted in curated. A row is rewritten only when a mapped
-- value differs, so a replayed batch changes nothing and the embedding stream sees no change. A DELETE removes
-- the entity only where its crossSystemId still holds the deleted record's key (or the id is built from it):
-- a delete in one source leaves an entity another source matched onto alone.
MERGE INTO {entity_table} AS entity
USING (
    SELECT *
    FROM (
        SELECT
            {key_name} || ':' || LOWER(TRIM(TO_VARCHAR(change.{key_field}))) AS ENTITY_ID,
            change.METADATA$ACTION AS CHANGE_ACTION,
            {select_list}
        FROM {stream} AS change
    ) AS mapped
    WHERE mapped.ENTITY_ID IS NOT NULL
    QUALIFY ROW_NUMBER() OVER (PARTITION BY mapped.ENTITY_ID ORDER BY mapped.CHANGE_ACTION DESC) = 1
) AS record
ON entity.{id_column} = record.ENTITY_ID
WHEN MATCHED AND record.CHANGE_ACTION = 'DELETE' AND {owns_row} THEN DELETE
WHEN MATCHED AND record.CHANGE_ACTION = 'INSERT' AND ({changed}) THEN UPDATE SET {assignments}, UPDATED_AT = SYSDATE()
WHEN NOT MATCHED AND record.CHANGE_ACTION = 'INSERT' THEN INSERT ({id_column}, {insert_columns}, CREATED_AT, UPDATED_AT)
    VALUES (record.ENTITY_ID, {insert_values}, SYSDATE(), SYSDATE())
