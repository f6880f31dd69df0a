-- slot database: identifier
SHOW COLUMNS IN DATABASE {database}
