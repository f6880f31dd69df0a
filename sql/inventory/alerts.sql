-- slot database: identifier
SHOW ALERTS IN DATABASE {database}
