-- slot role: identifier
SHOW GRANTS TO ROLE {role}
