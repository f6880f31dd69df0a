-- slot database: identifier
SHOW VIEWS IN DATABASE {database}
