"""The gate's alerts: new failures, streams held too long, embedding coverage; rendered from sql/quality_gate/alerts/."""

from dataclasses import dataclass
from enum import StrEnum

from catalog.quality_gate.objects import GateObjects
from catalog.sql_files import render_sql
from catalog.views import COVERAGE_EXPECTATION_PCT
from models.enums import AlertChannel


class GateAlert(StrEnum):
    """The gate's alerts, by what they raise."""

    NEW_FAILURES = "DATA_QUALITY_FAILURES_ALERT"
    HELD_TOO_LONG = "DATA_QUALITY_HELD_BATCHES_ALERT"
    EMBEDDING_COVERAGE = "EMBEDDING_COVERAGE_ALERT"


@dataclass(frozen=True)
class AlertSpec:
    """An alert to declare: its condition and action; schedule and warehouse are the declarer's."""

    name: str
    condition: str
    action: str


def gate_alerts(
    objects: GateObjects,
    integration: str,
    settle_minutes: int,
    max_hold_minutes: int,
    freshness_view: str,
    *,
    channel: AlertChannel,
) -> list[AlertSpec]:
    """The gate's three alerts: new failures, streams held too long, embedding coverage below 95 %.

    settle_minutes is the gate task's timeout: the new-failures alert only reads rows that old, which every
    run has committed or rolled back by then. A hold shorter than that could not be told from a slow run.
    """
    if max_hold_minutes < settle_minutes:
        raise ValueError(
            f"max_hold_minutes {max_hold_minutes} must be at least the gate task's timeout ({settle_minutes})"
        )
    values = {
        **objects.sql_values(),
        "settle_minutes": settle_minutes,
        "max_hold_minutes": max_hold_minutes,
        "freshness": freshness_view,
        # Below the figure the freshness view shows per entity type: one contract, one figure.
        "min_coverage_pct": COVERAGE_EXPECTATION_PCT,
    }
    conditions = {
        GateAlert.NEW_FAILURES: "quality_gate/alerts/new_failures.sql",
        GateAlert.HELD_TOO_LONG: "quality_gate/alerts/held_too_long.sql",
        GateAlert.EMBEDDING_COVERAGE: "quality_gate/alerts/embedding_coverage.sql",
    }
    notify = (
        "quality_gate/alerts/notify_webhook.sql" if channel.is_webhook else "quality_gate/alerts/notify.sql"
    )
    return [
        AlertSpec(
            alert.value,
            render_sql(path, **values),
            render_sql(notify, alert=alert.value, integration=integration),
        )
        for alert, path in conditions.items()
    ]
