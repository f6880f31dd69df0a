{left}.{column} IS NOT DISTINCT FROM {right}.{column}
