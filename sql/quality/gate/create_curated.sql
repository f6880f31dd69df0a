-- The curated table starts as RAW's columns (CREATE TABLE ... LIKE copies definitions, not rows).
CREATE TABLE IF NOT EXISTS {curated_table} LIKE {raw_table}
