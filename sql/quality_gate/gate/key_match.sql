-- slot left: identifier
-- slot column: identifier
-- slot right: identifier
{left}.{column} IS NOT DISTINCT FROM {right}.{column}
