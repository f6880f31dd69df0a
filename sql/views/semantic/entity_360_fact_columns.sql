-- slot alias: identifier
-- slot count_column: identifier
-- slot last_column: identifier
,
    COALESCE({alias}.FACT_COUNT, 0) AS {count_column},
    {alias}.LAST_FACT_AT AS {last_column}
