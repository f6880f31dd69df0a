-- slot column: identifier
entity.{column} = record.{column}
