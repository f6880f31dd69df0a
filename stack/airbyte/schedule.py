"""When Airbyte syncs: one Quartz cron, in the only time zone Airbyte's public API runs crons in."""

from typing import Annotated, Literal

from pydantic import AfterValidator

from models.validation import one_of
from stack.airbyte.base import AirbyteModel
from stack.airbyte.quartz_cron import check_quartz_cron

DEFAULT_CRON = "0 0 * * * ?"
UTC = "UTC"


def _quartz(expression: str) -> str:
    """A valid Quartz cron expression, or an error quoting it."""
    try:
        return check_quartz_cron(expression)
    except ValueError as problem:
        raise ValueError(
            f"cron {expression!r} is not a valid Quartz cron expression: {problem}; "
            f"Airbyte takes 'second minute hour day-of-month month day-of-week [year]', e.g. {DEFAULT_CRON!r}"
        ) from None


QuartzCron = Annotated[str, AfterValidator(_quartz)]


class ScheduleConfig(AirbyteModel):
    """When connections sync: one Quartz cron for every connection."""

    cron: QuartzCron = DEFAULT_CRON
    timezone: Annotated[
        Literal["UTC"], one_of("timezone", [UTC], " (Airbyte's public API runs every cron in UTC)")
    ] = UTC
