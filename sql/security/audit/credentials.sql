-- slot max_key_age_days: integer
-- slot users: literal_list
-- The keys and tokens of the stack's users and when each expires: a token at its EXPIRATION_DATE, a key
-- pair (which Snowflake never expires) when it reaches the house's maximum age. CREDENTIALS (Account Usage
-- docs): NAME, USER_NAME, TYPE, STATUS, ADDITIONAL_DETAILS (ROLE_RESTRICTION for a token), CREATED_ON,
-- LAST_USED_ON, LAST_ALTERED, EXPIRATION_DATE. Latency: up to 2 hours.
SELECT
    USER_NAME,
    NAME,
    TYPE,
    STATUS,
    ADDITIONAL_DETAILS:"ROLE_RESTRICTION" AS ROLE_RESTRICTION,
    CREATED_ON,
    LAST_USED_ON,
    COALESCE(EXPIRATION_DATE, DATEADD(day, {max_key_age_days}, CREATED_ON)) AS EXPIRES_AT
FROM SNOWFLAKE.ACCOUNT_USAGE.CREDENTIALS
WHERE USER_NAME IN ({users})
