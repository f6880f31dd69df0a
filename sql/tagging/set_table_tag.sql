ALTER TABLE {table} SET TAG {metadata_tag} = {metadata}
