-- slot database: identifier
SHOW TASKS IN DATABASE {database}
