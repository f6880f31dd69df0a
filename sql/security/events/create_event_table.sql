-- slot event_table: identifier
-- pulumi-snowflake declares no event table, so an Execute does (CREATE EVENT TABLE).
CREATE EVENT TABLE IF NOT EXISTS {event_table}
