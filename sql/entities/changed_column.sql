-- slot column: identifier
entity.{column} IS DISTINCT FROM record.{column}
