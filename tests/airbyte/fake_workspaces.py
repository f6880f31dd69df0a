"""The fake Airbyte's workspaces: the notifications a new one has, and how a patch changes them."""

from collections.abc import Mapping
from typing import Any

from models.json_values import deep_merge
from tests.airbyte.fake_http import ApiProblem

# Workspace notification events, and those that e-mail unless told otherwise: the defaults the server fills in
# (airbyte-config .../helpers/NotificationSettingsHelpers.kt patchNotificationSettingsWithDefaultValue).
NOTIFICATION_EVENTS = (
    "failure",
    "success",
    "connectionUpdate",
    "connectionUpdateActionRequired",
    "syncDisabled",
    "syncDisabledWarning",
)
EMAILED_BY_DEFAULT = frozenset(NOTIFICATION_EVENTS) - {"success"}


def new_workspace(workspace_id: str, name: str) -> dict[str, Any]:
    """A workspace with Airbyte's default notifications: e-mails on every event but success, no webhook."""
    return {
        "workspaceId": workspace_id,
        "name": name,
        "dataResidency": "auto",
        # Every event, each with both channels: WorkspaceResponseMapper maps all of them, always.
        "notifications": {
            event: {
                "email": {"enabled": event in EMAILED_BY_DEFAULT},
                "webhook": {"enabled": False},
            }
            for event in NOTIFICATION_EVENTS
        },
    }


def patch_workspace(workspace: dict[str, Any], body: dict[str, Any]) -> None:
    """Applies a workspace patch in place, refusing what the server refuses."""
    # WorkspacesHandler.patchNotificationItem: per event and channel, only the given `enabled` and `url`
    # change; switching a webhook off keeps its URL.
    notifications = deep_merge(workspace["notifications"], _without_nulls(body.get("notifications") or {}))
    for event, channels in notifications.items():
        webhook = channels["webhook"]
        # WorkspaceHelpers.validateWorkspace: an enabled webhook needs a URL, whatever its scheme.
        if webhook["enabled"] and not str(webhook.get("url") or "").strip():
            raise ApiProblem(
                400,
                "Notification missing URL",
                f"The '{event}' notification is enabled but is missing a URL.",
            )
    workspace["notifications"] = notifications
    workspace["name"] = body.get("name", workspace["name"])


def _without_nulls(value: Any) -> Any:
    """A patch with its nulls dropped: the server applies only the values given."""
    if isinstance(value, Mapping):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value
