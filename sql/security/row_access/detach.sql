-- slot table: identifier
-- slot policy: identifier
ALTER TABLE {table} DROP ROW ACCESS POLICY {policy}
