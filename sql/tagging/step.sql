{lookup};
    IF (found > 0) THEN
        {statement};
    END IF;
