-- slot integration: identifier
-- slot secret: identifier
-- A Slack incoming webhook: its URL's path is the secret (webhook notifications docs, Slack example).
CREATE NOTIFICATION INTEGRATION {integration}
    TYPE = WEBHOOK
    ENABLED = TRUE
    WEBHOOK_URL = 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET'
    WEBHOOK_SECRET = {secret}
    WEBHOOK_BODY_TEMPLATE = '{{"text": "SNOWFLAKE_WEBHOOK_MESSAGE"}}'
    WEBHOOK_HEADERS = ('Content-Type' = 'application/json')
    COMMENT = 'Sophia AI data-quality alerts to Slack'
