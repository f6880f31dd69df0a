"""A time zone is known exactly when `zoneinfo.available_timezones()` lists it, looked up one name at a time.

Against this machine's tz database, and against a crafted one: symlinked directories and files, a broken
link, a file that is not TZif, `right/` and `posix/`, `posixrules`, names spelled in other cases or with
`..`, `.`, doubled or trailing slashes.
"""

import os
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import time_zones
from models.schedules import Schedule
from models.time_zones import is_known_time_zone

TZIF = b"TZif2" + b"\0" * 40
HOSTILE = [
    "",
    "/",
    "UTC/",
    "/UTC",
    "./UTC",
    "Europe/../UTC",
    "Europe//London",
    "Europe/London/",
    "..",
    "right",
    "posix",
    "right/UTC",
    "posix/UTC",
    "posixrules",
    "utc",
    "europe/london",
    "UTC\0",
    "zone.tab",
    "tzdata.zi",
    "leapseconds",
    "Europe",
    "Etc/../../etc/passwd",
    "Europe\\London",
]


@pytest.fixture
def fresh() -> Iterator[None]:
    is_known_time_zone.cache_clear()
    time_zones._tzdata_zones.cache_clear()
    yield
    zoneinfo.reset_tzpath()
    is_known_time_zone.cache_clear()
    time_zones._tzdata_zones.cache_clear()


def _every_name_under(roots: tuple[str, ...]) -> set[str]:
    """Every relative path under the roots, files and directories, followed through links too."""
    names: set[str] = set()
    for root in roots:
        for folder, directories, files in os.walk(root, followlinks=True):
            for name in directories + files:
                names.add(os.path.relpath(os.path.join(folder, name), root))
    return names


def test_every_name_on_this_machine_is_known_as_available_timezones_lists_it(fresh: None) -> None:
    listed = zoneinfo.available_timezones()
    names = _every_name_under(zoneinfo.TZPATH) | set(HOSTILE) | listed
    assert len(listed) > 300, "no tz database here to compare with"
    assert {name for name in names if is_known_time_zone(name)} == listed


def _crafted(root: Path) -> None:
    (root / "Area").mkdir(parents=True)
    (root / "Area" / "City").write_bytes(TZIF)
    (root / "Area" / "Nested").mkdir()
    (root / "Area" / "Nested" / "Town").write_bytes(TZIF)
    (root / "Area" / "notes.txt").write_bytes(b"not a zone")
    (root / "Alias").symlink_to("Area/City")
    (root / "Linked").symlink_to("Area", target_is_directory=True)
    (root / "Broken").symlink_to("Area/Nowhere")
    (root / "posixrules").write_bytes(TZIF)
    (root / "right").write_bytes(TZIF)  # a file named right/ is listed; only the directories are skipped
    for skipped in ("posix", "Deep"):
        (root / skipped).mkdir()
        (root / skipped / "UTC").write_bytes(TZIF)
    (root / "Deep" / "right").mkdir()
    (root / "Deep" / "right" / "Zone").write_bytes(TZIF)
    (root / "Empty").write_bytes(b"")


def test_a_crafted_tz_path_is_read_as_available_timezones_reads_it(tmp_path: Path, fresh: None) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _crafted(first)
    second.mkdir()
    (second / "Other").write_bytes(TZIF)
    zoneinfo.reset_tzpath(to=[str(first), str(second), str(tmp_path / "missing")])
    listed = zoneinfo.available_timezones()
    assert {
        "Area/City",
        "Alias",
        "right",
        "Deep/UTC",
        "Deep/right/Zone",
        "Other",
    } <= listed  # the layout took
    names = (
        _every_name_under((str(first), str(second))) | set(HOSTILE) | {"Linked/City", "Linked/Nested/Town"}
    )
    assert {name for name in names if is_known_time_zone(name)} == listed


def test_a_schedule_in_an_unknown_zone_is_refused(fresh: None) -> None:
    assert Schedule.parse("USING CRON 0 7 * * * Europe/London").time_zone == "Europe/London"
    with pytest.raises(ValueError, match="is not an IANA time zone"):
        Schedule.parse("USING CRON 0 7 * * * posix/UTC")
