-- slot curated_table: identifier
-- Undoes a curated table just created whose row access policy could not be attached: the next run creates
-- it again and retries, so no run promotes rows into a curated table the declared policy does not guard.
DROP TABLE IF EXISTS {curated_table}
