"""The Airbyte SDK's sign-in, built one way for its two callers: the provider's client and the receiver."""

from collections.abc import Mapping

from airbyte_api import models


def sdk_security(url: str, credentials: Mapping[str, str]) -> models.Security | None:
    """The SDK's Security for a bearer token, or an application's client id and secret; None for other keys."""
    keys = set(credentials)
    if keys == {"bearer_token"}:
        return models.Security(bearer_auth=credentials["bearer_token"])
    if keys == {"client_id", "client_secret"}:
        # The SDK's default token URL is host-relative and would drop the `/v1` of the API URL.
        return models.Security(
            client_credentials=models.SchemeClientCredentials(
                client_id=credentials["client_id"],
                client_secret=credentials["client_secret"],
                token_url=f"{url.rstrip('/')}/applications/token",
            )
        )
    return None
