-- slot database: identifier
SHOW MASKING POLICIES IN DATABASE {database}
