"""A cron's fire times read off croniter's own expansion of its fields, where walking it step by step is not needed.

croniter's `get_next` costs tens of microseconds a step (a month of an hourly cron is 730 steps, and a plan
walks every cron of a stack); a numeric cron in a zone that keeps one UTC offset over the window fires at
exactly the minutes its expanded fields list, on the days they allow. Anything else (names, L, W, #, a zone
that changes its offset in the window, a cron that never fires in it) is left to croniter.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from croniter import croniter

_NUMERIC = frozenset("0123456789*/,- ")
_ANY = "*"


def one_offset_fire_times(
    cron: str, zone: tzinfo, start: datetime, end: datetime
) -> tuple[datetime, ...] | None:
    """The UTC times in [start, end) at which `cron` fires in `zone`, as croniter walks them; None to walk them."""
    if not set(cron) <= _NUMERIC or len(cron.split()) != 5:
        return None
    (minutes, hours, days, months, weekdays), nth_weekdays = croniter.expand(cron)
    if nth_weekdays or not _plain(minutes, hours, days, months, weekdays):
        return None
    offset = start.astimezone(zone).utcoffset()
    if end.astimezone(zone).utcoffset() != offset or offset is None:
        return None
    fired: list[datetime] = []
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    while day <= last:
        if datetime.combine(day, time(), zone).utcoffset() != offset:
            return None  # the zone changes its offset in the window: croniter's daylight-saving rules apply
        if _fires_on(day, days, months, weekdays):
            for hour in _values(hours, 24):
                for minute in _values(minutes, 60):
                    at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - offset
                    if start <= at < end:
                        fired.append(at)
        day += timedelta(days=1)
    return tuple(fired) or None  # none at all: croniter says whether the cron can ever fire


def _plain(*fields: Sequence[int | str]) -> bool:
    return all(field == [_ANY] or all(isinstance(value, int) for value in field) for field in fields)


def _values(field: Sequence[int | str], count: int) -> Sequence[int]:
    return range(count) if field == [_ANY] else sorted(int(value) for value in field)


def _fires_on(
    day: date, days: Sequence[int | str], months: Sequence[int | str], weekdays: Sequence[int | str]
) -> bool:
    """croniter's day rule (croniter.py `_calc_next`, Vixie cron's): a day of the month and a day of the week
    both given fire on either; one given fires on it alone."""
    if months != [_ANY] and day.month not in months:
        return False
    weekday = (day.weekday() + 1) % 7  # cron counts the week from Sunday, 0
    if days == [_ANY]:
        return weekdays == [_ANY] or weekday in weekdays
    if weekdays == [_ANY]:
        return day.day in days
    return day.day in days or weekday in weekdays
