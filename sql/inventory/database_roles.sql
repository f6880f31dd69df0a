-- slot database: identifier
SHOW DATABASE ROLES IN DATABASE {database}
