-- slot credentials: identifier
-- slot warning_days: integer
-- Keys and tokens of the stack's users that expire within the warning window, or have expired.
SELECT USER_NAME, NAME, TYPE, EXPIRES_AT
FROM {credentials}
WHERE COALESCE(STATUS, '') <> 'DISABLED'
  AND EXPIRES_AT <= DATEADD(day, {warning_days}, CURRENT_TIMESTAMP())
