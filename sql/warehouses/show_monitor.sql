-- slot warehouse: identifier
SHOW WAREHOUSES LIKE '{warehouse}'
->> SELECT "name", "resource_monitor" FROM $1 WHERE "name" = '{warehouse}'
