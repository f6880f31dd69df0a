-- slot database: name_literal
-- slot roles: literal_list
-- slot users: literal_list
-- Every statement run in the stack's database, as its roles or by its users, with its outcome.
-- QUERY_HISTORY (Account Usage docs): QUERY_ID, START_TIME, USER_NAME, ROLE_NAME, QUERY_TYPE, DATABASE_NAME,
-- SCHEMA_NAME, EXECUTION_STATUS, ERROR_MESSAGE. Latency: up to 45 minutes.
SELECT
    QUERY_ID,
    START_TIME,
    USER_NAME,
    ROLE_NAME,
    QUERY_TYPE,
    DATABASE_NAME,
    SCHEMA_NAME,
    EXECUTION_STATUS,
    ERROR_MESSAGE
FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY
WHERE DATABASE_NAME = {database} OR ROLE_NAME IN ({roles}) OR USER_NAME IN ({users})
