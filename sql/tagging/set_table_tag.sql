-- slot table: identifier
-- slot metadata_tag: identifier
-- slot metadata: tag_value
ALTER TABLE {table} SET TAG {metadata_tag} = {metadata}
