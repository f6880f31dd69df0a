-- slot database: identifier
SHOW PROCEDURES IN DATABASE {database}
