-- slot warehouse: identifier
-- slot monitor: identifier
ALTER WAREHOUSE {warehouse} SET RESOURCE_MONITOR = {monitor}
