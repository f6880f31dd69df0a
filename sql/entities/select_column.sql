change.{field} AS {column}
