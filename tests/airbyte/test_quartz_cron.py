"""The Quartz cron check accepts what Airbyte schedules with and says precisely what is wrong otherwise."""

import pytest

from stack.airbyte.quartz_cron import check_quartz_cron, without_api_time_zone


@pytest.mark.parametrize(
    "expression",
    [
        "0 0 * * * ?",  # hourly, the default
        "0 0/15 9-17 ? * MON-FRI",  # every quarter hour in office hours
        "30 0 3 ? * SUN#2",  # second Sunday of the month
        "0 0 0 L * ?",  # last day of the month
        "0 30 2 15W * ? 2030",  # weekday nearest the 15th, in 2030
        "0 0 22 ? * FRI-MON",  # a weekday range that wraps
        "0 0 0 29 2 ?",  # leap days exist
        "0 0 0 31 4,5 ?",  # May has a 31st
        "0 0 6,18 1 NOV-FEB ?",  # a month range that wraps
        "0 0 0 ? * L",
    ],
)
def test_accepts(expression: str) -> None:
    assert check_quartz_cron(expression) == expression


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("0 * * * *", "has 5 fields; Quartz needs 6 or 7"),
        ("0 0 * * * ? 2030 x", "has 8 fields"),
        ("0 0 * * * *", "exactly one of day-of-month and day-of-week must be '?' (given '*' and '*')"),
        ("0 0 0 ? * ?", "exactly one of day-of-month and day-of-week must be '?' (given '?' and '?')"),
        ("0 0 0 ?,1 * *", "'?' is only allowed alone"),
        ("? 0 0 * * ?", "'?' is only allowed alone, as the day-of-month or day-of-week field"),
        ("60 0 * * * ?", "second '60' is out of range; allowed: 0-59"),
        ("0 60 * * * ?", "minute '60' is out of range; allowed: 0-59"),
        ("0 0 24 * * ?", "hour '24' is out of range; allowed: 0-23"),
        ("0 0 0 32 * ?", "day-of-month '32' is out of range; allowed: 1-31"),
        ("0 0 0 * 13 ?", "month '13' is out of range; allowed: 1-12 or JAN-DEC"),
        ("0 0 0 ? * 0", "day-of-week '0' is out of range; allowed: 1-7 or SUN-SAT"),
        ("0 0 0 ? * FUN", "day-of-week 'FUN' is out of range"),
        ("0 0 0 * * ? 1969", "year '1969' is out of range; allowed: 1970-2099"),
        ("0 */0 * * * ?", "minute step in '*/0' must be between 1 and 59"),
        ("0 0 *-3 * * ?", "hour part '*-3' ranges from '*'"),
        ("0 0 0 ? * 2#6", "day-of-week part '2#6' is not a value, range, list or step"),
        ("0 0 0 L-31 * ?", "day-of-month 'L-31' is out of range"),
        ("0 0 0 30 2 ?", "never fires: no month in '2' has day '30'"),
        ("0 0 0 31 4,6,9,11 ?", "never fires: no month in '4,6,9,11' has day '31'"),
    ],
)
def test_rejects_with_the_reason(expression: str, reason: str) -> None:
    with pytest.raises(ValueError, match=None) as raised:
        check_quartz_cron(expression)

    assert reason in str(raised.value)


@pytest.mark.parametrize(
    ("read_back", "declared"),
    [
        ("0 0 12 * * ? UTC", "0 0 12 * * ?"),  # how the API answers every cron it was sent
        ("0 0 12 * * ? 2030 UTC", "0 0 12 * * ? 2030"),
        ("0 0 12 * * ?", "0 0 12 * * ?"),  # nothing to take off
        ("0 0 12 * * ? Europe/Paris", "0 0 12 * * ? Europe/Paris"),  # another zone is drift, kept visible
    ],
)
def test_the_apis_utc_suffix_comes_off_a_cron_read_back(read_back: str, declared: str) -> None:
    assert without_api_time_zone(read_back) == declared
