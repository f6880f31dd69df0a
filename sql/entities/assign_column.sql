{column} = record.{column}
