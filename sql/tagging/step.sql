-- slot lookup: fragment
-- slot statement: fragment
{lookup};
    IF (found > 0) THEN
        {statement};
    END IF;
