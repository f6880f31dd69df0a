ALTER TABLE {table} MODIFY COLUMN {column} SET TAG {pii_tag} = {pii_level}
