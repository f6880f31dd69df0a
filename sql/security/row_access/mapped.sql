-- slot mapping: identifier
-- slot policy: name_literal
EXISTS (
    SELECT 1
    FROM {mapping}
    WHERE POLICY_NAME = {policy}
      AND IS_ROLE_IN_SESSION(ROLE_NAME)
      AND (ALLOWED_VALUE = '*' OR ALLOWED_VALUE = TO_VARCHAR(VAL))
)
