-- slot database: identifier
SHOW SCHEMAS IN DATABASE {database}
