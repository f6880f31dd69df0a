"""What the tests ask of the policy pack's access graph beyond what its rules ask."""

from policies.sophia_policies.access_graph import AccessGraph


def effective_warehouses(graph: AccessGraph, role: str) -> set[str]:
    """Warehouses `role` may use, directly or through roles granted to it."""
    return set().union(*(graph.warehouse_usage.get(r, set()) for r in graph.roles_of(role)))
