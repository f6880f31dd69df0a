-- slot table: identifier
-- slot column: identifier
-- slot pii_tag: identifier
-- slot pii_level: literal
ALTER TABLE {table} MODIFY COLUMN {column} SET TAG {pii_tag} = {pii_level}
