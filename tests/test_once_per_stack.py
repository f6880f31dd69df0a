"""What stack rules read off the same resources is worked out once for a shared tuple, and afresh for a list."""

from types import SimpleNamespace

from policies.sophia_policies import once_per_stack
from policies.sophia_policies.snowflake import GRANT_ACCOUNT_ROLE


def _grant(parent: str, role: str) -> SimpleNamespace:
    return SimpleNamespace(
        resource_type=GRANT_ACCOUNT_ROLE, props={"parentRoleName": parent, "roleName": role}, urn=role
    )


def test_every_rule_given_one_tuple_reads_one_graph_and_one_set_of_facts() -> None:
    resources = (_grant("APP", "READ"), _grant("READ", "BASE"))
    graph = once_per_stack.stack_access_graph(resources)
    assert once_per_stack.stack_access_graph(resources) is graph
    assert graph.roles_of("APP") == {"APP", "READ", "BASE"}
    facts = once_per_stack.stack_grant_facts(resources)
    assert once_per_stack.stack_grant_facts(resources) is facts and len(facts) == 2


def test_an_equal_tuple_or_a_list_is_worked_out_again() -> None:
    first = (_grant("APP", "READ"),)
    graph = once_per_stack.stack_access_graph(first)
    equal = (_grant("APP", "READ"),)
    assert once_per_stack.stack_access_graph(equal) is not graph
    as_list = [_grant("APP", "READ")]
    assert once_per_stack.stack_access_graph(as_list) is not once_per_stack.stack_access_graph(as_list)
    # A list may change between two rules (the CLI gives each rule its own): what is read follows it.
    as_list.append(_grant("READ", "BASE"))
    assert once_per_stack.stack_access_graph(as_list).roles_of("APP") == {"APP", "READ", "BASE"}
    assert len(once_per_stack.stack_grant_facts(as_list)) == 2


def test_the_last_tuple_is_held_so_no_other_can_take_its_place() -> None:
    once_per_stack.stack_access_graph((_grant("A", "B"),))
    for _ in range(50):  # new tuples, each dropped at once: none may be taken for the held one
        fresh = (_grant("X", "Y"),)
        assert once_per_stack.stack_access_graph(fresh).roles_of("X") == {"X", "Y"}
