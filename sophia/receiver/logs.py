"""Every log line of the receiver as one JSON object, with any known secret replaced before it is written."""

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

REDACTED = "[redacted]"


class JsonLines(logging.Formatter):
    """`{"ts", "level", "logger", "event", ...fields}`; the last line of defence against a leaked secret."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # A secret is matched as written and as JSON would escape it inside a string.
        forms = {form for secret in secrets if secret for form in (secret, json.dumps(secret)[1:-1])}
        self._secrets = sorted(forms, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """One JSON line for `record`; `extra={"fields": {...}}` adds keys."""
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        line = json.dumps(entry, default=str)
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return line


def configure_logging(secrets: Iterable[str]) -> None:
    """JSON lines on stdout for the receiver, uvicorn and the Snowflake connector alike."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLines(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # The connector narrates every request at INFO; its warnings and errors are what an operator needs.
    logging.getLogger("snowflake.connector").setLevel(logging.WARNING)
