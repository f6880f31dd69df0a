-- slot curated_table: identifier
-- slot raw_table: identifier
-- The curated table starts as RAW's columns: CREATE TABLE ... LIKE copies their definitions, not the rows.
CREATE TABLE {curated_table} LIKE {raw_table}
