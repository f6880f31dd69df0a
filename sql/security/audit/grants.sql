-- slot program_roles: literal_list
-- slot database: name_literal
-- slot roles: literal_list
-- slot users: literal_list
-- Grants on the stack's database and to or of its roles and users, live and revoked, and whether a role the
-- program grants with made them: BY_PROGRAM_ROLE false is a grant made outside the program. GRANTS_TO_ROLES
-- (Account Usage docs): CREATED_ON, MODIFIED_ON, DELETED_ON, PRIVILEGE, GRANTED_ON, NAME, TABLE_CATALOG,
-- GRANTED_TO, GRANTEE_NAME, GRANTED_BY; GRANTS_TO_USERS: CREATED_ON, DELETED_ON, ROLE, GRANTED_TO,
-- GRANTEE_NAME, GRANTED_BY. Latency: up to 2 hours.
SELECT
    'ROLE' AS GRANT_KIND,
    CREATED_ON,
    DELETED_ON,
    PRIVILEGE,
    GRANTED_ON,
    NAME,
    GRANTED_TO,
    GRANTEE_NAME,
    GRANTED_BY,
    COALESCE(GRANTED_BY IN ({program_roles}), FALSE) AS BY_PROGRAM_ROLE
FROM SNOWFLAKE.ACCOUNT_USAGE.GRANTS_TO_ROLES
WHERE TABLE_CATALOG = {database}
   OR (GRANTED_ON = 'DATABASE' AND NAME = {database})
   OR GRANTEE_NAME IN ({roles})
UNION ALL
SELECT
    'USER' AS GRANT_KIND,
    CREATED_ON,
    DELETED_ON,
    'USAGE' AS PRIVILEGE,
    'ROLE' AS GRANTED_ON,
    ROLE AS NAME,
    GRANTED_TO,
    GRANTEE_NAME,
    GRANTED_BY,
    COALESCE(GRANTED_BY IN ({program_roles}), FALSE) AS BY_PROGRAM_ROLE
FROM SNOWFLAKE.ACCOUNT_USAGE.GRANTS_TO_USERS
WHERE ROLE IN ({roles}) OR GRANTEE_NAME IN ({users})
