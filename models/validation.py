"""What every model checks and says the same way: a value listed twice, one below another, a pydantic error."""

from collections.abc import Hashable, Iterable
from enum import Enum
from typing import Any, TypeVar

from pydantic import BeforeValidator, ValidationError
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


def not_allowed(field: str, given: Any, allowed: Iterable[Any], why: str = "") -> ValueError:
    """The house error: the field, the value given, the values allowed."""
    return ValueError(f"{field} {given!r} is not allowed{why}; allowed: {', '.join(map(repr, allowed))}")


def at_least(field: str, value: float, floor_field: str, floor: float, why: str = "") -> None:
    """Refuses a value below the one it may not undercut: `<field> (1) must be at least <floor_field> (7)`."""
    if value < floor:
        raise ValueError(f"{field} ({value}) must be at least {floor_field} ({floor}){why}")


def one_of(field: str, allowed: Iterable[Any], why: str = "") -> BeforeValidator:
    """Refuses any value but `allowed` (an enum's values, or a list) with the house error, before parsing."""
    values = [member.value if isinstance(member, Enum) else member for member in allowed]

    def check(value: Any) -> Any:
        if value not in values:
            raise not_allowed(field, value, values, why)
        return value

    return BeforeValidator(check)


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
