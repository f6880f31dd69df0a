-- slot role: identifier
SHOW GRANTS OF ROLE {role}
