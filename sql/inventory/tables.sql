-- slot database: identifier
SHOW TABLES IN DATABASE {database}
