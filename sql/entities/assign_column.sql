-- slot column: identifier
{column} = record.{column}
