-- slot declared_methods: literal_list
-- slot users: literal_list
-- Sign-ins of the stack's users, from where and by which method, and whether the stack declared that
-- method for the user. LOGIN_HISTORY (Account Usage docs): EVENT_TIMESTAMP, USER_NAME, CLIENT_IP,
-- REPORTED_CLIENT_TYPE, FIRST_AUTHENTICATION_FACTOR (RSA_KEYPAIR, PROGRAMMATIC_ACCESS_TOKEN, PASSWORD ...),
-- IS_SUCCESS ('YES' / 'NO'), ERROR_MESSAGE. Latency: up to 2 hours.
SELECT
    EVENT_TIMESTAMP,
    USER_NAME,
    CLIENT_IP,
    REPORTED_CLIENT_TYPE,
    FIRST_AUTHENTICATION_FACTOR,
    IS_SUCCESS,
    ERROR_MESSAGE,
    COALESCE(USER_NAME || '.' || FIRST_AUTHENTICATION_FACTOR IN ({declared_methods}), FALSE) AS DECLARED_METHOD
FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY
WHERE USER_NAME IN ({users})
