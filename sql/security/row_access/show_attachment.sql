-- slot information_schema: identifier
-- slot table_name: literal
-- What refresh reads back: the policy on the table, if attached (POLICY_REFERENCES table function).
SELECT POLICY_NAME, REF_COLUMN_NAME, POLICY_STATUS
FROM TABLE({information_schema}.POLICY_REFERENCES(REF_ENTITY_NAME => {table_name}, REF_ENTITY_DOMAIN => 'TABLE'))
WHERE POLICY_KIND = 'ROW_ACCESS_POLICY'
