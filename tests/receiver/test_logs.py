"""Log lines: one JSON object each, extra fields merged, known secrets replaced as the last line of defence."""

import json
import logging
import sys

from sophia.receiver.logs import REDACTED, JsonLines


def record(message: str, fields: dict | None = None) -> logging.LogRecord:
    entry = logging.LogRecord("sophia.receiver", logging.WARNING, __file__, 1, message, None, None)
    if fields is not None:
        entry.fields = fields
    return entry


def test_a_line_is_one_json_object_with_the_fields_merged():
    line = JsonLines().format(record("request", {"status": 200, "job_id": 7}))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry | {"ts": None} == {
        "ts": None,
        "level": "warning",
        "logger": "sophia.receiver",
        "event": "request",
        "status": 200,
        "job_id": 7,
    }


def test_known_secrets_are_replaced_wherever_they_appear():
    secret, quoted = "tok-3f9a-secret-value-1234567890", 'pass"phrase\\with-escapes'
    formatter = JsonLines([secret, quoted, ""])
    line = formatter.format(record(f"url /airbyte/{secret}", {"detail": f"x{secret}y", "p": quoted}))
    assert secret not in line
    assert json.dumps(quoted)[1:-1] not in line
    entry = json.loads(line)
    assert entry["event"] == f"url /airbyte/{REDACTED}"
    assert (entry["detail"], entry["p"]) == (f"x{REDACTED}y", REDACTED)


def test_an_exception_is_kept_in_the_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        entry = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert "RuntimeError: boom" in json.loads(JsonLines().format(entry))["exception"]
