"""JSON requests the SDK's typed models cannot build: the one place that leans on the SDK's private API.

The airbyte-api SDK offers no public call that sends a body as given, so this borrows what its generated
methods do (airbyte_api/sources.py: `_get_url`, `_build_request`, `HookContext`, `do_request`), keeping
its auth hooks (the client-credentials token exchange too), URL, user agent and timeout.
tests/airbyte/test_raw_json_contract.py fails when an SDK release changes any of it.
"""

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx
from airbyte_api import AirbyteAPI, errors
from airbyte_api._hooks import HookContext
from airbyte_api.basesdk import BaseSDK
from airbyte_api.utils import SerializedRequestBody


class RawJson(BaseSDK):
    """Sends JSON through the SDK's own request pipeline; an error status raises its SDKError, like typed calls."""

    def __init__(self, sdk: AirbyteAPI) -> None:
        super().__init__(sdk.sdk_configuration, parent_ref=sdk)

    def send(
        self,
        operation_id: str,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """One request with `body` as its JSON and `query` as its query string."""
        config = self.sdk_configuration
        base_url = self._get_url(None, None)
        # The SDK keeps a query string only when it arrives in a URL override.
        url = f"{base_url.rstrip('/')}{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")
        request = self._build_request(
            method=method,
            path=path,
            url_override=url,
            base_url=base_url,
            url_variables=None,
            request=None,
            request_body_required=False,
            request_has_path_params=False,
            request_has_query_params=False,
            user_agent_header="user-agent",
            accept_header_value="application/json",
            security=config.security,
            get_serialized_body=lambda: (
                None if body is None else SerializedRequestBody("application/json", json.dumps(body))
            ),
            timeout_ms=config.timeout_ms,
        )
        context = HookContext(
            config, base_url, operation_id, oauth2_scopes=[], security_source=config.security
        )
        response = self.do_request(context, request, is_error_status_code=lambda status: status >= 400)
        if response.status_code >= 400:
            raise errors.SDKError("API error occurred", response, response.text)
        return response
