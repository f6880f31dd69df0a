-- slot knowledge_schema: identifier
-- slot table: identifier
SELECT * FROM {knowledge_schema}.{table}
