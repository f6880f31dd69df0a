-- slot schema: identifier
SHOW FUTURE GRANTS IN SCHEMA {schema}
