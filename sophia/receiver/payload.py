"""The typed part of Airbyte's sync webhook body: what the receiver decides on, checked strictly."""

# What Airbyte sends (airbyte-platform, airbyte-notification): SlackNotificationClient.notifyJobSuccess /
# notifyJobFailure POST `Notification.toJsonNode()`: a Slack-style `text` and `blocks`, and `data`, the
# `messages/SyncSummary` data class serialised by a plain Jackson ObjectMapper with JavaTimeModule and
# WRITE_DATES_AS_TIMESTAMPS off (slack/Notification.kt). So ids are UUID strings, `jobId` a JSON number,
# `startedAt` / `finishedAt` ISO-8601 instants ("2024-01-01T00:00:00Z"), and Kotlin's `isSuccess` becomes
# `success` (bean naming; test/.../slack/NotificationTest.kt has the exact JSON). The request is not signed.
#
# Only the fields the receiver acts on are modelled, strictly (no "9988" for 9988, no 1 for true). Every other
# field is let through on purpose: the body is Airbyte's, not our config, and Airbyte adds to it between
# releases (`errorType`, `errorOrigin`, `recordsFilteredOut` came later); refusing unknown keys would turn an
# Airbyte upgrade into lost promotions.

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class _AirbyteBody(BaseModel):
    """Strict types for what is modelled, anything else ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class ConnectionRef(_AirbyteBody):
    """`data.connection`: `{id, name, url}` (messages/ConnectionInfo.kt); only the id is used."""

    id: UUID


class SyncSummary(_AirbyteBody):
    """`data`: one finished sync job."""

    connection: ConnectionRef
    job_id: int = Field(alias="jobId", ge=0)
    success: bool


class SyncWebhook(_AirbyteBody):
    """The whole body; `text` and `blocks` are Slack formatting and not read."""

    data: SyncSummary
