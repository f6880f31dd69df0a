"""What every model checks and says the same way: a value listed twice, and a pydantic error as text."""

from collections.abc import Hashable, Iterable
from typing import TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_H = TypeVar("_H", bound=Hashable)


def repeated(values: Iterable[_H]) -> list[_H]:
    """The values that occur more than once, sorted."""
    items = list(values)
    return sorted({value for value in items if items.count(value) > 1})


def listed_more_than_once(what: str, values: Iterable[Hashable]) -> str | None:
    """`<what> ['A'] are listed more than once`, or None when no value repeats."""
    twice = repeated(values)
    return f"{what} {twice} are listed more than once" if twice else None


def problem_message(problem: ErrorDetails) -> str:
    """Pydantic's message, without the `Value error, ` it puts before what a validator raised."""
    return problem["msg"].removeprefix("Value error, ")


def problem_line(
    problem: ErrorDetails, where: str = "", message: str | None = None, show_input: bool = True
) -> str:
    """`<where><location>: <message> (given: <input>)`: one problem on one line."""
    location = ".".join(str(part) for part in problem["loc"])
    text = problem_message(problem) if message is None else message
    given = f" (given: {problem['input']!r})" if show_input else ""
    return f"{where}{location}: {text}{given}" if location else f"{where}{text}{given}"


def explain(error: ValidationError, where: str = "", show_input: bool = True) -> str:
    """Every problem, `; `-joined; what our own validators raised already names what failed, so stands alone."""
    return "; ".join(
        problem_message(problem)
        if problem["type"] == "value_error"
        else problem_line(problem, where, None, show_input)
        for problem in error.errors(include_url=False)
    )
