"""What stack rules read off the same resources is worked out once when they are shared, and afresh otherwise."""

from types import SimpleNamespace

from policies.sophia_policies import once_per_stack
from policies.sophia_policies.once_per_stack import SharedResources
from policies.sophia_policies.snowflake import GRANT_ACCOUNT_ROLE


def _grant(parent: str, role: str) -> SimpleNamespace:
    return SimpleNamespace(
        resource_type=GRANT_ACCOUNT_ROLE, props={"parentRoleName": parent, "roleName": role}, urn=role
    )


def test_every_rule_given_the_shared_resources_reads_one_graph_and_one_set_of_facts() -> None:
    resources = SharedResources((_grant("APP", "READ"), _grant("READ", "BASE")))
    graph = once_per_stack.stack_access_graph(resources)
    assert once_per_stack.stack_access_graph(resources) is graph
    assert graph.roles_of("APP") == {"APP", "READ", "BASE"}
    facts = once_per_stack.stack_grant_facts(resources)
    assert once_per_stack.stack_grant_facts(resources) is facts and len(facts) == 2


def test_equal_shared_resources_a_tuple_or_a_list_are_worked_out_again() -> None:
    first = SharedResources((_grant("APP", "READ"),))
    graph = once_per_stack.stack_access_graph(first)
    equal = SharedResources((_grant("APP", "READ"),))
    assert once_per_stack.stack_access_graph(equal) is not graph
    # A plain tuple may hold resources a rule could change: it is read again each time.
    plain = (_grant("APP", "READ"),)
    assert once_per_stack.stack_access_graph(plain) is not once_per_stack.stack_access_graph(plain)
    plain[0].props["roleName"] = "OTHER"
    assert once_per_stack.stack_access_graph(plain).roles_of("APP") == {"APP", "OTHER"}
    as_list = [_grant("APP", "READ")]
    assert once_per_stack.stack_access_graph(as_list) is not once_per_stack.stack_access_graph(as_list)
    # A list may change between two rules (the CLI gives each rule its own): what is read follows it.
    as_list.append(_grant("READ", "BASE"))
    assert once_per_stack.stack_access_graph(as_list).roles_of("APP") == {"APP", "READ", "BASE"}
    assert len(once_per_stack.stack_grant_facts(as_list)) == 2


def test_the_last_shared_resources_are_held_so_no_others_can_take_their_place() -> None:
    once_per_stack.stack_access_graph(SharedResources((_grant("A", "B"),)))
    for _ in range(50):  # new ones, each dropped at once: none may be taken for the held ones
        fresh = SharedResources((_grant("X", "Y"),))
        assert once_per_stack.stack_access_graph(fresh).roles_of("X") == {"X", "Y"}
