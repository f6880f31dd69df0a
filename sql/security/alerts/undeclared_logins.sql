-- slot logins: identifier
-- slot lookback_hours: integer
-- Sign-ins, failed ones included, by a method the stack did not declare for the user; the window covers
-- LOGIN_HISTORY's latency (up to 2 hours) past a daily schedule, so a late row is still seen once.
SELECT USER_NAME, FIRST_AUTHENTICATION_FACTOR, CLIENT_IP, IS_SUCCESS, EVENT_TIMESTAMP
FROM {logins}
WHERE NOT DECLARED_METHOD
  AND EVENT_TIMESTAMP >= DATEADD(hour, -{lookback_hours}, CURRENT_TIMESTAMP())
