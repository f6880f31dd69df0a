-- slot steps: fragment
-- Airbyte creates the RAW tables at the first sync and the gate the curated ones at the first promotion,
-- both after deploy: each run tags the tables and declared columns that exist by then, so one that appears
-- later is tagged on the next run. SET TAG on a tagged object replaces the value: a rerun changes nothing.
-- A query's result reaches a Snowflake Scripting variable through SELECT ... INTO.
DECLARE
    found INTEGER DEFAULT 0;
BEGIN
    {steps}
END
