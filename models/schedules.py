"""Snowflake task and alert schedules: the text the stack config takes, checked, and when each one fires."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from croniter import croniter

from models.cron_times import one_offset_fire_times
from models.time_zones import is_known_time_zone

_INTERVAL = re.compile(r"^([1-9][0-9]*) (MINUTE|MINUTES|HOURS|SECONDS)$")
_CRON_PREFIX = "USING CRON "
_UNIT_SECONDS = {"SECONDS": 1, "MINUTE": 60, "MINUTES": 60, "HOURS": 3600}
ALLOWED_FORMS = (
    "'<n> MINUTE', '<n> MINUTES', '<n> HOURS', '<n> SECONDS' or "
    "'USING CRON <minute> <hour> <day> <month> <weekday> <time zone>'"
)


@dataclass(frozen=True)
class Schedule:
    """A schedule as CREATE TASK's SCHEDULE takes it: every n seconds, or a 5-field cron in a time zone."""

    text: str
    interval_seconds: int | None = None
    cron: str | None = None
    time_zone: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Schedule":
        """`60 MINUTES` or `USING CRON 30 * * * * UTC`, or a ValueError naming what is allowed."""
        interval = _INTERVAL.fullmatch(text)
        if interval:
            count, unit = interval.groups()
            return cls(text, interval_seconds=int(count) * _UNIT_SECONDS[unit])
        fields = text.removeprefix(_CRON_PREFIX).split(" ")
        if text.startswith(_CRON_PREFIX) and len(fields) == 6:
            expression, zone = " ".join(fields[:5]), fields[5]
            if not croniter.is_valid(expression):
                raise ValueError(f"schedule {text!r}: {expression!r} is not a valid 5-field cron expression")
            if not is_known_time_zone(zone):
                raise ValueError(f"schedule {text!r}: {zone!r} is not an IANA time zone such as UTC")
            return cls(text, cron=expression, time_zone=zone)
        raise ValueError(f"schedule {text!r} is not a Snowflake task schedule; allowed: {ALLOWED_FORMS}")

    def task_args(self) -> dict[str, int | str]:
        """The schedule as pulumi-snowflake's Task `schedule` block takes it (task.py, TaskScheduleArgs)."""
        if self.cron is not None:
            return {"using_cron": f"{self.cron} {self.time_zone}"}
        count, unit = _INTERVAL.fullmatch(self.text).groups()  # type: ignore[union-attr]
        return {f"{unit.lower().rstrip('s')}s": int(count)}

    def alert_args(self) -> dict[str, object]:
        """The schedule as pulumi-snowflake's Alert `alert_schedule` takes it: a cron, or whole minutes."""
        if self.cron is not None:
            return {"cron": {"expression": self.cron, "time_zone": self.time_zone}}
        if self.interval_seconds is None or self.interval_seconds % 60:
            raise ValueError(f"schedule {self.text!r}: an alert runs every whole number of minutes")
        return {"interval": self.interval_seconds // 60}

    def fire_times(self, start: datetime, hours: int) -> list[datetime]:
        """When a cron schedule fires in the `hours` after `start`; interval schedules have no fixed times."""
        if self.cron is None:
            raise ValueError(
                f"schedule {self.text!r} runs every {self.interval_seconds} s from when it starts"
            )
        return list(_cron_fire_times(self.cron, self.time_zone or "UTC", start, hours))

    def runs_in(self, hours: int, start: datetime) -> int:
        """How often the schedule fires in `hours` from `start`."""
        if self.interval_seconds is not None:
            return hours * 3600 // self.interval_seconds
        return len(self.fire_times(start, hours))


@cache
def _cron_fire_times(cron: str, zone: str, start: datetime, hours: int) -> tuple[datetime, ...]:
    """Enumerated once per cron, zone and window however many tasks, rules and reports ask."""
    end = start + timedelta(hours=hours)
    read_off = one_offset_fire_times(cron, ZoneInfo(zone), start, end)
    if read_off is not None:
        return read_off
    times = croniter(cron, start.astimezone(ZoneInfo(zone)) - timedelta(microseconds=1))
    fired = []
    while (at := times.get_next(datetime)) < end:
        fired.append(at.astimezone(UTC))
    return tuple(fired)
