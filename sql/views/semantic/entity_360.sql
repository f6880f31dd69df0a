-- slot fact_columns: fragment
-- slot base: fragment
-- slot fact_joins: fragment
-- One row per entity with the facts that hang off it: per relationship type the entity mappings declare,
-- how many there are and the latest. The base is the entity's table, or its hand-written analytical view.
SELECT entity.*{fact_columns}
FROM ({base}) AS entity
{fact_joins}
