"""Quartz cron expressions, the kind Airbyte schedules take: checked before sending, normalised when read back."""

# The grammar check is ours and covers every field: 6 or 7 fields (seconds first, optional year), value ranges,
# month and weekday names, lists, ranges, steps, `L`/`W`/`#`, and exactly one of day-of-month and day-of-week
# being `?`. Only then is croniter used, for one thing: whether the day-of-month ever falls in the months
# given (it never does for 30 February). That check is skipped for `L`/`W` days and wrapping ranges, which
# croniter reads differently from Quartz, and a year field is not checked against the calendar.

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from croniter import CroniterBadDateError, croniter


@dataclass(frozen=True)
class _Field:
    """One position of a Quartz expression."""

    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names for low, low + 1, ...


_SECOND = _Field("second", 0, 59)
_MINUTE = _Field("minute", 0, 59)
_HOUR = _Field("hour", 0, 23)
_DAY_OF_MONTH = _Field("day-of-month", 1, 31)
_MONTH = _Field(
    "month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
)
_DAY_OF_WEEK = _Field("day-of-week", 1, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))
_YEAR = _Field("year", 1970, 2099)
_FIELDS = (_SECOND, _MINUTE, _HOUR, _DAY_OF_MONTH, _MONTH, _DAY_OF_WEEK, _YEAR)

_PART = re.compile(r"^(?P<start>\*|\w+)(?:-(?P<end>\w+))?(?:/(?P<step>\d+))?$")
_DAY_OF_MONTH_SPECIAL = re.compile(r"^(L(-\d{1,2})?|LW|\d{1,2}W)$")
_DAY_OF_WEEK_SPECIAL = re.compile(r"^(?P<day>\w+)(L|#[1-5])$")
_FIRES_AFTER = datetime(2025, 1, 1, tzinfo=UTC)
# Airbyte's public API runs every cron it is given in UTC and reads it back with that zone appended:
# "0 0 * * * ?" comes back as "0 0 * * * ? UTC" (airbyte-server ConnectionCreateMapper and
# ConnectionUpdateMapper set cronTimeZone "UTC"; ConnectionReadMapper returns "<expression> <zone>").
_API_TIME_ZONE_SUFFIX = " UTC"


def check_quartz_cron(expression: str) -> str:
    """`expression` if it is a Quartz cron expression that fires; ValueError saying what is wrong otherwise."""
    fields = expression.upper().split()
    if len(fields) not in (6, 7):
        raise ValueError(f"has {len(fields)} fields; Quartz needs 6 or 7 (seconds first, year optional)")
    for spec, text in zip(_FIELDS, fields, strict=False):
        for part in text.split(","):
            _check_part(spec, part, alone=text == part)
    day_of_month, day_of_week = fields[3], fields[5]
    if (day_of_month == "?") == (day_of_week == "?"):
        raise ValueError(
            "exactly one of day-of-month and day-of-week must be '?' "
            f"(given {day_of_month!r} and {day_of_week!r})"
        )
    _check_fires(fields)
    return expression


def without_api_time_zone(read_back: str) -> str:
    """A cron as Airbyte reads it back, in the form we send it: the API's ` UTC` suffix taken off."""
    # We only support UTC (the stack's schedule timezone), so only that suffix goes; any other zone, which
    # Airbyte's web app can set, stays on and shows as drift, and the next update puts the cron back in UTC.
    return read_back.removesuffix(_API_TIME_ZONE_SUFFIX)


def _check_part(spec: _Field, part: str, alone: bool) -> None:
    """One comma-separated part of a field."""
    if part == "?":
        if spec not in (_DAY_OF_MONTH, _DAY_OF_WEEK) or not alone:
            raise ValueError("'?' is only allowed alone, as the day-of-month or day-of-week field")
        return
    if spec is _DAY_OF_MONTH and _DAY_OF_MONTH_SPECIAL.match(part):
        number = re.sub(r"\D", "", part)
        if number and not 1 <= int(number) <= (30 if part.startswith("L-") else 31):
            raise ValueError(f"day-of-month {part!r} is out of range")
        return
    if spec is _DAY_OF_WEEK and (special := _DAY_OF_WEEK_SPECIAL.match(part)):
        _value(spec, special["day"])
        return
    if spec is _DAY_OF_WEEK and part == "L":
        return
    match = _PART.match(part)
    if not match:
        raise ValueError(f"{spec.name} part {part!r} is not a value, range, list or step")
    if match["start"] != "*":
        _value(spec, match["start"])
    if match["end"]:
        if match["start"] == "*":
            raise ValueError(f"{spec.name} part {part!r} ranges from '*'")
        _value(spec, match["end"])
    if match["step"] and not 1 <= int(match["step"]) <= spec.high:
        raise ValueError(f"{spec.name} step in {part!r} must be between 1 and {spec.high}")


def _value(spec: _Field, text: str) -> int:
    """A number or name of the field, checked against its range."""
    if text in spec.names:
        return spec.low + spec.names.index(text)
    if not text.isdigit() or not spec.low <= int(text) <= spec.high:
        allowed = f"{spec.low}-{spec.high}" + (f" or {spec.names[0]}-{spec.names[-1]}" if spec.names else "")
        raise ValueError(f"{spec.name} {text!r} is out of range; allowed: {allowed}")
    return int(text)


def _check_fires(fields: list[str]) -> None:
    """Asks croniter whether the day-of-month ever falls in the months given (30 February never does)."""
    day_of_month, month, day_of_week = fields[3], fields[4], fields[5]
    # With days of the week instead, every month has each of them; minutes and hours always match.
    if (
        day_of_week != "?"
        or "L" in day_of_month
        or "W" in day_of_month
        or _wraps((_DAY_OF_MONTH, day_of_month), (_MONTH, month))
    ):
        return
    try:
        croniter(f"0 0 {day_of_month} {month} *", _FIRES_AFTER).get_next(datetime)
    except CroniterBadDateError:
        raise ValueError(f"never fires: no month in {month!r} has day {day_of_month!r}") from None


def _wraps(*fields: tuple[_Field, str]) -> bool:
    """Whether a range runs backwards (Quartz wraps it, say NOV-FEB; croniter rejects it)."""
    for spec, text in fields:
        for match in filter(None, map(_PART.match, text.split(","))):
            if match["end"] and _value(spec, match["end"]) < _value(spec, match["start"]):
                return True
    return False
