"""Typed config of the data-quality gate: when it runs and on what, how long a hold may last, where alerts go."""

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, Field, SecretStr, model_validator

from models.enums import AlertChannel, WarehousePurpose
from models.quality_gate import GateSettings, Severity
from models.schedules import Schedule
from models.strict_model import StrictModel
from models.validation import at_least, listed_more_than_once, one_of

SETTINGS_KEY = "qualityGate"
SECRETS_KEY = "qualityGateSecrets"
# pulumi-snowflake's Alert takes a whole number of minutes below a day (alert.py, AlertAlertScheduleArgs).
_MAX_ALERT_INTERVAL_MINUTES = 1439
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _schedule(value: str) -> str:
    return Schedule.parse(value).text


def _alert_schedule(value: str) -> str:
    schedule = Schedule.parse(value)
    schedule.alert_args()
    if (
        schedule.interval_seconds is not None
        and schedule.interval_seconds // 60 > _MAX_ALERT_INTERVAL_MINUTES
    ):
        raise ValueError(f"schedule {value!r}: an alert's interval must be below 1440 minutes; use a cron")
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


TaskSchedule = Annotated[str, AfterValidator(_schedule)]
AlertSchedule = Annotated[str, AfterValidator(_alert_schedule)]
EmailAddress = Annotated[str, AfterValidator(_email)]


class GateCompute(StrEnum):
    """What runs the gate's tasks: serverless compute, billed per second used, or the ETL warehouse."""

    SERVERLESS = "SERVERLESS"
    ETL = "ETL"

    @property
    def warehouse(self) -> WarehousePurpose | None:
        """The warehouse the tasks run on; None for serverless."""
        return WarehousePurpose.ETL if self is GateCompute.ETL else None


class NotifyConfig(StrictModel):
    """Where alerts go: a Slack, Teams or PagerDuty webhook (its URL or key in qualityGateSecrets), or e-mail."""

    kind: Annotated[AlertChannel, one_of("kind", AlertChannel)]
    # Snowflake mails only verified addresses of users in the account (CREATE NOTIFICATION INTEGRATION, e-mail).
    recipients: list[EmailAddress] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _recipients_for_email(self) -> Self:
        if self.kind is AlertChannel.EMAIL and not self.recipients:
            raise ValueError(
                "kind 'email' needs recipients: verified e-mail addresses of users in the account"
            )
        if self.kind is not AlertChannel.EMAIL and self.recipients:
            raise ValueError(
                f"kind {self.kind.value!r} posts to a webhook; recipients are for kind 'email' only, remove them"
            )
        if twice := listed_more_than_once("recipients", self.recipients):
            raise ValueError(twice)
        return self


class AlertsConfig(StrictModel):
    """How often the alerts look, on which warehouse (pulumi-snowflake's Alert needs one), and whom they tell."""

    schedule: AlertSchedule = "USING CRON 50 * * * * UTC"
    warehouse: Annotated[WarehousePurpose, one_of("warehouse", WarehousePurpose)] = WarehousePurpose.REALTIME
    notify: NotifyConfig


class QualityGateConfig(StrictModel):
    """The gate of every source: its schedule, its timeout (settle), the longest hold before an alert."""

    # After Airbyte's hourly sync at minute 0; a sync-success webhook runs it sooner (`sophia receiver serve`).
    schedule: TaskSchedule = "USING CRON 30 * * * * UTC"
    # The gate task's timeout: a run has committed or rolled back this long after it started.
    settle_minutes: int = Field(default=15, ge=1, le=1440)
    max_hold_minutes: int = Field(default=240, ge=1, le=43200)
    warehouse: Annotated[GateCompute, one_of("warehouse", GateCompute)] = GateCompute.SERVERLESS
    alerts: AlertsConfig
    # A batch that would remove more than this share of a curated table (a CDC purge, a refresh of a source
    # that came back empty) is held like a failing one until an operator releases it.
    max_delete_share: float = Field(default=0.5, gt=0, le=1)
    # How far below the watermark each batch reads again, for rows committed after later ones (clock skew
    # between syncs, a backfill, a restore); re-reading promotes nothing twice.
    overlap_minutes: int = Field(default=60, ge=0, le=1440)
    # Whether a value Airbyte nulled or truncated (_AIRBYTE_META.changes) holds the batch or is only reported.
    airbyte_meta_severity: Annotated[Severity, one_of("airbyteMetaSeverity", Severity)] = Severity.ERROR

    def settings(self) -> GateSettings:
        """What the gate's own checks take from the stack."""
        return GateSettings(self.max_delete_share, self.overlap_minutes, self.airbyte_meta_severity)

    @model_validator(mode="after")
    def _hold_outlasts_a_run(self) -> Self:
        at_least(
            "maxHoldMinutes",
            self.max_hold_minutes,
            "settleMinutes",
            self.settle_minutes,
            ": a shorter hold could not be told from a run still going",
        )
        return self


class QualityGateSecrets(StrictModel):
    """The alert webhook's credential: a Slack or Teams webhook URL, or a PagerDuty integration key."""

    webhook_url: SecretStr | None = None
    routing_key: SecretStr | None = None

    def credential(self, channel: AlertChannel) -> tuple[str, SecretStr | None]:
        """The key `channel` needs, and its value if set."""
        if channel is AlertChannel.PAGERDUTY:
            return "routingKey", self.routing_key
        return "webhookUrl", self.webhook_url
