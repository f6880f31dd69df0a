-- slot information_schema: identifier
-- slot schema_name: name_literal
-- slot table_name: name_literal
-- slot column_name: name_literal
SELECT COUNT(*) INTO :found
    FROM {information_schema}.COLUMNS
    WHERE TABLE_SCHEMA = {schema_name} AND TABLE_NAME = {table_name} AND COLUMN_NAME = {column_name}
