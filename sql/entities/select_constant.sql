{value} AS {column}
