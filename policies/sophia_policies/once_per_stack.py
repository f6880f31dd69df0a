"""What several stack rules read off the same resources (the access graph, the grant facts), worked out once.

The offline check hands every stack rule one `SharedResources` of read-only resources
(stack/sdk_internals.analyze_stack); the CLI hands each rule a list of its own. Shared read-only resources
cannot change, so what one rule worked out from them serves every rule given the same ones; from anything
else (a list, a plain tuple, whose resources a rule could change), each rule works it out again.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .access_graph import AccessGraph, build_access_graph
from .grant_facts import GrantFact, all_grant_facts

T = TypeVar("T")


class SharedResources(tuple):
    """A stack's resources, read-only, handed to every stack rule at once."""


# Per kind of result: the tuple it was worked out from (held, so that its id is never another's) and the result.
_LAST: dict[str, tuple[Sequence[Any], Any]] = {}


def _once(kind: str, resources: Sequence[Any], work_out: Callable[[], T]) -> T:
    if not isinstance(resources, SharedResources):
        return work_out()
    held = _LAST.get(kind)
    if held is None or held[0] is not resources:
        held = _LAST[kind] = (resources, work_out())
    return held[1]


def stack_access_graph(resources: Sequence[Any]) -> AccessGraph:
    """The access graph of a stack's resources (rules only read it)."""
    return _once(
        "graph", resources, lambda: build_access_graph((r.resource_type, r.props) for r in resources)
    )


def stack_grant_facts(resources: Sequence[Any]) -> tuple[tuple[Any, GrantFact], ...]:
    """Every (resource, fact) of a stack's grant resources."""
    return _once("facts", resources, lambda: tuple(all_grant_facts(resources)))
