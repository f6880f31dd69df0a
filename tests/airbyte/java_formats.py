"""How Airbyte's JVM side writes times, durations and volumes, for the fake's webhooks and job responses."""

from datetime import UTC, datetime


def instant(epoch_seconds: int) -> str:
    """Jackson's JavaTimeModule with WRITE_DATES_AS_TIMESTAMPS off: ISO-8601, whole seconds, `Z`."""
    return datetime.fromtimestamp(epoch_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def offset_date_time(epoch_seconds: int) -> str:
    """Java's OffsetDateTime.toString() in UTC, as JobResponseMapper writes times: seconds left out when zero."""
    moment = datetime.fromtimestamp(epoch_seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%MZ" if moment.second == 0 else "%Y-%m-%dT%H:%M:%SZ")


def java_duration(seconds: int) -> str:
    """Java's Duration.toString(): `PT0S`, `PT45S`, `PT3M20S`, `PT1H`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else "", f"{secs}S" if secs else ""]
    return "PT" + ("".join(parts) or "0S")


def summary_duration(seconds: int) -> str:
    """SyncSummary.formatDuration."""
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes == 0:
        return f"{seconds % 60} sec"
    if hours == 0:
        return f"{minutes % 60} min {seconds % 60} sec"
    if days == 0:
        return f"{hours % 24} hours {minutes % 60} min"
    return f"{days} days {hours} hours"


def volume(size: int) -> str:
    """SyncSummary.formatVolume: integer division by 1024 per unit, up to TB."""
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024:
            return f"{size} {unit}"
        size //= 1024
    return f"{size} TB"
