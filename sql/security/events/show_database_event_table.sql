-- slot database: identifier
SHOW PARAMETERS LIKE 'EVENT_TABLE' IN DATABASE {database}
