SELECT * FROM {knowledge_schema}.{table}
