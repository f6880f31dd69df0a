-- slot value: literal
-- slot column: identifier
{value} AS {column}
