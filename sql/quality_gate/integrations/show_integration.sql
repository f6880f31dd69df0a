-- slot integration: identifier
SHOW NOTIFICATION INTEGRATIONS LIKE '{integration}'
->> SELECT "name", "type", "enabled" FROM $1 WHERE "name" = '{integration}'
