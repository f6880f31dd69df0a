"""How Pulumi signs in to Airbyte and how Airbyte reaches back: API credentials, webhooks, the destination's key."""

from typing import Self

from pydantic import SecretStr, field_validator, model_validator
from pydantic.alias_generators import to_camel

from stack.airbyte.base import AirbyteModel


class ApiCredentialsConfig(AirbyteModel):
    """How Pulumi signs in to the Airbyte API: a bearer token, or an application's client id and secret."""

    bearer_token: SecretStr | None = None
    client_id: SecretStr | None = None
    client_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _one_method(self) -> Self:
        given = sorted(self.model_fields_set)
        if given not in (["bearer_token"], ["client_id", "client_secret"]):
            keys = [to_camel(name) for name in given]
            raise ValueError(f"apiCredentials takes bearerToken, or clientId and clientSecret; given {keys}")
        return self


class WebhookConfig(AirbyteModel):
    """Where one sync event posts; the URL is a secret (it lets anyone post, and may carry a token)."""

    webhook_url: SecretStr

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith("https://"):
            raise ValueError("webhookUrl must be an https:// URL (value not shown: it is a secret)")
        return value


class NotificationsConfig(AirbyteModel):
    """A webhook per sync event: success feeds the webhook receiver, failure the team's channel."""

    success: WebhookConfig
    failure: WebhookConfig

    def webhooks(self) -> dict[str, WebhookConfig]:
        """Each event's webhook, by the event name Airbyte's NotificationsConfig uses."""
        return {"success": self.success, "failure": self.failure}


class AirbyteDestinationConfig(AirbyteModel):
    """Credentials of the Snowflake destination: the Airbyte service user's private key."""

    private_key: SecretStr
    private_key_password: SecretStr | None = None
