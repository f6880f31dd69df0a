-- slot integration: identifier
-- slot secret: identifier
-- PagerDuty's Events API v2: one URL for every service, the integration (routing) key is the secret and
-- travels in the body (webhook notifications docs, PagerDuty example).
CREATE NOTIFICATION INTEGRATION {integration}
    TYPE = WEBHOOK
    ENABLED = TRUE
    WEBHOOK_URL = 'https://events.pagerduty.com/v2/enqueue'
    WEBHOOK_SECRET = {secret}
    WEBHOOK_BODY_TEMPLATE = '{{"routing_key": "SNOWFLAKE_WEBHOOK_SECRET", "event_action": "trigger", "payload": {{"summary": "SNOWFLAKE_WEBHOOK_MESSAGE", "source": "Sophia AI data-quality gate", "severity": "error"}}}}'
    WEBHOOK_HEADERS = ('Content-Type' = 'application/json')
    COMMENT = 'Sophia AI data-quality alerts to PagerDuty'
