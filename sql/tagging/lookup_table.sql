-- slot information_schema: identifier
-- slot schema_name: name_literal
-- slot table_name: name_literal
SELECT COUNT(*) INTO :found
    FROM {information_schema}.TABLES
    WHERE TABLE_SCHEMA = {schema_name} AND TABLE_NAME = {table_name}
