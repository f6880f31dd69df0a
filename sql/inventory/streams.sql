-- slot database: identifier
SHOW STREAMS IN DATABASE {database}
