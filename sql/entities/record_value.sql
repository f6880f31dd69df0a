-- slot column: identifier
record.{column}
