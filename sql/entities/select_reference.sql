-- slot key_name: literal
-- slot field: identifier
-- slot column: identifier
{key_name} || ':' || LOWER(TRIM(TO_VARCHAR(change.{field}))) AS {column}
