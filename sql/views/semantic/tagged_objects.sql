-- slot database: name_literal
-- slot tag_schema: name_literal
-- slot tag: name_literal
-- Every live object of the stack's database that carries the metadata tag, with the tag's JSON parsed, so a
-- service finds sources and entities from the tags alone. ACCOUNT_USAGE.TAG_REFERENCES lags by up to two
-- hours and keeps dropped objects with OBJECT_DELETED set (Snowflake, TAG_REFERENCES view); the view's owner
-- reads it through the SNOWFLAKE database role GOVERNANCE_VIEWER, its readers need nothing more.
SELECT
    tagged.DOMAIN AS OBJECT_KIND,
    tagged.OBJECT_SCHEMA,
    tagged.OBJECT_NAME,
    tagged.COLUMN_NAME,
    tagged.METADATA:entity_type::VARCHAR AS ENTITY_TYPE,
    tagged.METADATA:data_source::VARCHAR AS DATA_SOURCE,
    tagged.METADATA:update_frequency::VARCHAR AS UPDATE_FREQUENCY,
    tagged.METADATA:pii_level::VARCHAR AS PII_LEVEL,
    COALESCE(tagged.METADATA:vector_index::BOOLEAN, FALSE) AS VECTOR_INDEX,
    COALESCE(tagged.METADATA:is_primary_identifier::BOOLEAN, FALSE) AS IS_PRIMARY_IDENTIFIER,
    tagged.METADATA
FROM (
    SELECT refs.*, TRY_PARSE_JSON(refs.TAG_VALUE) AS METADATA
    FROM SNOWFLAKE.ACCOUNT_USAGE.TAG_REFERENCES AS refs
    WHERE refs.TAG_DATABASE = {database}
        AND refs.TAG_SCHEMA = {tag_schema}
        AND refs.TAG_NAME = {tag}
        AND refs.OBJECT_DATABASE = {database}
        AND refs.OBJECT_DELETED IS NULL
) AS tagged
