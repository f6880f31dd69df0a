-- slot name: name_literal
-- slot schema: identifier
SHOW EVENT TABLES LIKE {name} IN SCHEMA {schema}
