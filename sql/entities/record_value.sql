record.{column}
