-- slot database: identifier
-- slot event_table: identifier
-- Procedures and tasks of the database log to its own event table, at the levels the Database resource
-- sets (ALTER DATABASE ... SET EVENT_TABLE; "Setting up an event table", associate with a database).
ALTER DATABASE {database} SET EVENT_TABLE = {event_table}
