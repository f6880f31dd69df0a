-- slot database: identifier
ALTER DATABASE {database} UNSET EVENT_TABLE
