-- slot database_role: identifier
SHOW GRANTS TO DATABASE ROLE {database_role}
