entity.{column} IS DISTINCT FROM record.{column}
