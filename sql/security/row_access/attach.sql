-- slot table: identifier
-- slot policy: identifier
-- slot column: identifier
-- pulumi-snowflake's Table has no row access policy field (terraform-provider-snowflake #1272): attached here.
ALTER TABLE {table} ADD ROW ACCESS POLICY {policy} ON ({column})
