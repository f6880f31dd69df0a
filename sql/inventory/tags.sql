-- slot database: identifier
SHOW TAGS IN DATABASE {database}
