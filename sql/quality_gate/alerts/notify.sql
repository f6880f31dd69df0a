-- slot alert: name_literal
-- slot integration: name_literal
-- The alert's action: the rows its condition returned, as JSON, through the notification integration. Written
-- as Snowflake documents an action that uses the condition's result (CREATE ALERT, "Using the results of the
-- condition in the action"): a Snowflake Scripting block that reads RESULT_SCAN of
-- SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID() into a variable (SELECT ... INTO, one row: an aggregate without
-- GROUP BY), then calls SYSTEM$SEND_SNOWFLAKE_NOTIFICATION with it. The alert's owner needs the database role
-- SNOWFLAKE.ALERT_VIEWER to call SNOWFLAKE.ALERT functions.
DECLARE
    message VARCHAR;
BEGIN
    SELECT SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
        {alert} || ': ' || COUNT(*) || ' row(s): ' || ARRAY_AGG(OBJECT_CONSTRUCT(*))::VARCHAR
    )
    INTO :message
    FROM TABLE(RESULT_SCAN(SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID()));
    CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(:message, SNOWFLAKE.NOTIFICATION.INTEGRATION({integration}));
END
