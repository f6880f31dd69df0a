-- slot field: identifier
-- slot column: identifier
change.{field} AS {column}
