-- slot information_schema: identifier
-- slot curated_schema: name_literal
-- slot curated_name: name_literal
-- slot stream: identifier
-- slot curated_table: identifier
-- slot merge: fragment
-- The curated table appears at the gate's first promotion, after deploy: so the stream on it is made here,
-- once the table exists, and shows the rows curated already holds (SHOW_INITIAL_ROWS) on its first read.
-- A query's result reaches a Snowflake Scripting variable through SELECT ... INTO.
DECLARE
    curated_tables INTEGER DEFAULT 0;
BEGIN
    SELECT COUNT(*) INTO :curated_tables
    FROM {information_schema}.TABLES
    WHERE TABLE_SCHEMA = {curated_schema} AND TABLE_NAME = {curated_name};
    IF (curated_tables > 0) THEN
        CREATE STREAM IF NOT EXISTS {stream} ON TABLE {curated_table} SHOW_INITIAL_ROWS = TRUE;
        {merge};
    END IF;
END
