-- slot warehouse: identifier
ALTER WAREHOUSE {warehouse} UNSET RESOURCE_MONITOR
