-- slot integration: identifier
-- slot webhook_url: webhook_url
-- slot secret: identifier
-- A Microsoft Teams workflow webhook: what follows /workflows/ in its URL is the secret, and Teams workflows
-- take an adaptive card (CREATE NOTIFICATION INTEGRATION (webhooks), URL formats and Teams example).
CREATE NOTIFICATION INTEGRATION {integration}
    TYPE = WEBHOOK
    ENABLED = TRUE
    WEBHOOK_URL = '{webhook_url}'
    WEBHOOK_SECRET = {secret}
    WEBHOOK_BODY_TEMPLATE = '{{"type": "message", "attachments": [{{"contentType": "application/vnd.microsoft.card.adaptive", "content": {{"type": "AdaptiveCard", "body": [{{"type": "TextBlock", "wrap": true, "text": "SNOWFLAKE_WEBHOOK_MESSAGE"}}], "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.0"}}}}]}}'
    WEBHOOK_HEADERS = ('Content-Type' = 'application/json')
    COMMENT = 'Sophia AI data-quality alerts to Microsoft Teams'
