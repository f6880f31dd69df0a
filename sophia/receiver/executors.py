"""Where the receiver's statements go, and the two ways that can fail; a dry run only logs them."""

import logging
from typing import Protocol

log = logging.getLogger("sophia.receiver")


class SnowflakeUnavailable(Exception):
    """Snowflake could not be reached or would not sign the receiver in: answer 503, the job stays retryable."""


class StatementRefused(Exception):
    """Snowflake ran the statement and refused it (a missing privilege, a dropped task): answer 502."""


class Executor(Protocol):
    """Runs one statement to completion or raises one of the errors above."""

    def execute(self, statement: str) -> None:
        """Runs `statement`; blocking, so the receiver calls it from a worker thread."""
        ...

    def close(self) -> None:
        """Releases any connection; called once at shutdown."""
        ...


class DryRunExecutor:
    """`--dry-run`: logs each statement it would run and runs nothing."""

    def execute(self, statement: str) -> None:
        """Logs the statement instead of running it."""
        log.info("dry run: not executed", extra={"fields": {"statement": statement}})

    def close(self) -> None:
        """Nothing to release."""
