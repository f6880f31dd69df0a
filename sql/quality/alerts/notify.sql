-- The alert's action: the rows its condition returned, as JSON, through the notification integration.
-- A CALL argument may be a subquery (CALL docs); RESULT_SCAN reads the condition's result in the action.
CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
    (
        SELECT SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
            {alert} || ': ' || COUNT(*) || ' row(s): ' || ARRAY_AGG(OBJECT_CONSTRUCT(*))::VARCHAR
        )
        FROM TABLE(RESULT_SCAN(SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID()))
    ),
    SNOWFLAKE.NOTIFICATION.INTEGRATION({integration})
)
