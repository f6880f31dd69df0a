"""A cron's fire times read off its expanded fields are exactly the ones croniter walks, or left to croniter.

Random numeric crons (lists, ranges, steps, both day fields) in zones with and without daylight saving, over
windows that start off the minute and cross offset changes, each against croniter's own walk.
"""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from models.cron_times import one_offset_fire_times
from models.schedules import Schedule

ZONES = [
    "UTC",
    "Etc/GMT-5",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
]
LIMITS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def walked(cron: str, zone: str, start: datetime, end: datetime) -> tuple[datetime, ...]:
    """croniter stepping from just before `start`, as models/schedules.py did for every cron."""
    times = croniter(cron, start.astimezone(ZoneInfo(zone)) - timedelta(microseconds=1))
    fired = []
    while (at := times.get_next(datetime)) < end:
        fired.append(at.astimezone(UTC))
    return tuple(fired)


def _field(rng: random.Random, low: int, high: int) -> str:
    value = lambda: rng.randint(low, high)  # noqa: E731
    match rng.randrange(6):
        case 0:
            return "*"
        case 1:
            return str(value())
        case 2:
            return ",".join(str(value()) for _ in range(rng.randint(2, 4)))
        case 3:
            first = value()
            return f"{first}-{rng.randint(first, high)}"
        case 4:
            return f"*/{rng.randint(1, max(1, (high - low) // 2))}"
        case _:
            first = value()
            return f"{first}-{rng.randint(first, high)}/{rng.randint(1, 5)}"


def _cases(count: int) -> list[tuple[str, str, datetime, int]]:
    rng = random.Random(20261205)
    cases = []
    for _ in range(count):
        fields = [_field(rng, low, high) for low, high in LIMITS]
        if fields[0] == "*" or fields[0].startswith("*/1"):
            fields[0] = str(rng.randint(0, 59))  # at most a few fires an hour: croniter walks each one
        start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 365 * 24 * 60), seconds=rng.random() * 120
        )
        cases.append((" ".join(fields), rng.choice(ZONES), start, rng.choice([1, 30, 200, 800])))
    return cases


@pytest.mark.parametrize(("cron", "zone", "start", "hours"), _cases(250))
def test_read_off_times_are_croniters(cron: str, zone: str, start: datetime, hours: int) -> None:
    end = start + timedelta(hours=hours)
    read_off = one_offset_fire_times(cron, ZoneInfo(zone), start, end)
    expected = walked(cron, zone, start, end)
    if read_off is not None:
        assert read_off == expected
        assert all(at.tzinfo is UTC for at in read_off)
    assert tuple(Schedule.parse(f"USING CRON {cron} {zone}").fire_times(start, hours)) == expected


def test_many_crons_are_read_off_not_walked() -> None:
    # The test above cannot pass by always leaving the work to croniter (the rest: no fire in a short window,
    # or a zone changing its offset).
    read_off = [
        one_offset_fire_times(cron, ZoneInfo(zone), start, start + timedelta(hours=hours))
        for cron, zone, start, hours in _cases(250)
    ]
    assert sum(times is not None for times in read_off) >= len(read_off) // 4


@pytest.mark.parametrize(
    ("cron", "zone", "start", "why"),
    [
        ("0 7 * * MON", "UTC", datetime(2025, 1, 1, tzinfo=UTC), "names"),
        ("0 0 L * *", "UTC", datetime(2025, 1, 1, tzinfo=UTC), "the last day of the month"),
        ("0 0 15W * *", "UTC", datetime(2025, 1, 1, tzinfo=UTC), "the nearest weekday"),
        ("0 0 * * 5#2", "UTC", datetime(2025, 1, 1, tzinfo=UTC), "the nth weekday"),
        ("30 2 * * *", "America/New_York", datetime(2025, 3, 1, tzinfo=UTC), "a daylight-saving change"),
        ("0 0 31 2 *", "UTC", datetime(2025, 1, 1, tzinfo=UTC), "no fire time in the window"),
    ],
)
def test_what_only_croniter_knows_is_left_to_it(cron: str, zone: str, start: datetime, why: str) -> None:
    assert one_offset_fire_times(cron, ZoneInfo(zone), start, start + timedelta(hours=730)) is None, why


def test_the_shipped_crons_are_read_off_as_croniter_walks_them() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for cron in ("15 */6 * * *", "50 */12 * * *", "0 7 * * *", "30 * * * *", "15 * * * *", "50 * * * *"):
        read_off = one_offset_fire_times(cron, ZoneInfo("UTC"), start, start + timedelta(hours=730))
        assert read_off == walked(cron, "UTC", start, start + timedelta(hours=730))
