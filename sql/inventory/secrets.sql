-- slot database: identifier
SHOW SECRETS IN DATABASE {database}
