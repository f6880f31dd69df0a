"""The three exit codes every `sophia` command shares, and how bad input is reported."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is not imported for `sophia --help`, which must start fast
    from rich.console import Console

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def invalid(err: "Console", what: str, error: Exception) -> int:
    """Bad input: a headline, the problem as text (never markup), exit 2."""
    err.print(what, style="bold red", markup=False, highlight=False)
    err.out(str(error), highlight=False)
    return EXIT_INVALID
