-- slot event_table: identifier
DROP EVENT TABLE IF EXISTS {event_table}
