-- slot alert: name_literal
-- slot integration: name_literal
-- The alert's action through a webhook: the rows its condition returned, as JSON, in the integration's body.
-- Snowflake writes the message into the body template where SNOWFLAKE_WEBHOOK_MESSAGE stands, and replaces
-- placeholders in the message too (SANITIZE_WEBHOOK_CONTENT docs): the message is escaped for the JSON string
-- the template holds it in (TO_JSON of the text, without its outer quotes), and sanitized, so no placeholder
-- in a failing row can pull the webhook secret into a channel. A scripting block that reads the condition's
-- result into a variable, then sends it, as notify.sql explains.
DECLARE
    message VARCHAR;
BEGIN
    SELECT SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
        SNOWFLAKE.NOTIFICATION.SANITIZE_WEBHOOK_CONTENT(SUBSTR(escaped.JSON_TEXT, 2, LENGTH(escaped.JSON_TEXT) - 2))
    )
    INTO :message
    FROM (
        SELECT TO_JSON(
            TO_VARIANT({alert} || ': ' || COUNT(*) || ' row(s): ' || ARRAY_AGG(OBJECT_CONSTRUCT(*))::VARCHAR)
        ) AS JSON_TEXT
        FROM TABLE(RESULT_SCAN(SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID()))
    ) AS escaped;
    CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(:message, SNOWFLAKE.NOTIFICATION.INTEGRATION({integration}));
END
