"""Whether a name is an IANA time zone this machine knows, exactly as `zoneinfo.available_timezones()` lists them.

Listing them all opens every file of the tz database (about 600, some 30 ms a process); a stack names one or
two zones, so each is looked up where that listing would find it: in the tzdata package's list of zones, or
as a TZif file under a TZPATH root reached through real directories, outside its `right/` and `posix/`.
"""

import os
import zoneinfo
from functools import cache
from importlib import resources

# available_timezones (Lib/zoneinfo/_tzpath.py) walks each root but these directories, and drops this key.
_SKIPPED_DIRECTORIES = ("right", "posix")
_DROPPED_KEY = "posixrules"


@cache
def is_known_time_zone(key: str) -> bool:
    """True when `zoneinfo.available_timezones()` would list `key`."""
    return key != _DROPPED_KEY and (
        key in _tzdata_zones() or any(_listed(root, key) for root in zoneinfo.TZPATH)
    )


@cache
def _tzdata_zones() -> frozenset[str]:
    try:
        with resources.files("tzdata").joinpath("zones").open("r") as zones:
            return frozenset(zone.strip() for zone in zones if zone.strip())
    except (ImportError, FileNotFoundError):
        return frozenset()


def _listed(root: str, key: str) -> bool:
    """Whether walking `root` as available_timezones does (os.walk, no symlinked directory followed) lists `key`."""
    parts = key.split("/")
    if "" in parts or "." in parts or ".." in parts or (len(parts) > 1 and parts[0] in _SKIPPED_DIRECTORIES):
        return (
            False  # not a path relative to the root as os.path.relpath spells it, or in a skipped directory
        )
    if not os.path.exists(root):
        return False
    directory = root
    for part in parts[:-1]:
        if not _entry(directory, part):
            return False
        directory = os.path.join(directory, part)
        if not os.path.isdir(directory) or os.path.islink(directory):
            return False
    path = os.path.join(directory, parts[-1])
    if not _entry(directory, parts[-1]) or os.path.isdir(path):
        return False
    try:
        with open(path, "rb") as candidate:
            return candidate.read(4) == b"TZif"
    except Exception:  # as available_timezones: what cannot be read is not a zone
        return False


def _entry(directory: str, name: str) -> bool:
    """Whether `directory` lists `name` spelled so (a case-insensitive file system would open "utc" as "UTC")."""
    try:
        return name in os.listdir(directory)
    except OSError:
        return False
