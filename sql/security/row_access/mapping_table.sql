-- slot mapping: identifier
-- Which role sees which values of each row access policy's column: data the owner role maintains, not a
-- redeploy. ALLOWED_VALUE '*' lets the role see every row of that policy.
CREATE TABLE IF NOT EXISTS {mapping} (
    POLICY_NAME VARCHAR NOT NULL COMMENT 'The row access policy the row belongs to',
    ROLE_NAME VARCHAR NOT NULL COMMENT 'An account role; a session holding it, active or inherited, qualifies',
    ALLOWED_VALUE VARCHAR NOT NULL COMMENT 'A value of the protected column the role sees, or * for all',
    PRIMARY KEY (POLICY_NAME, ROLE_NAME, ALLOWED_VALUE)
) COMMENT = 'Row access: which roles see which values'
