entity.{column} = record.{column}
