{key_name} || ':' || LOWER(TRIM(TO_VARCHAR(change.{field}))) AS {column}
