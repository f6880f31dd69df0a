"""Who can reach what, read back from the declared grants (not from the matrix that produced them)."""

from collections import defaultdict
from dataclasses import dataclass, field

from offline.resources import PlannedResource

GRANT_ACCOUNT_ROLE = "snowflake:index/grantAccountRole:GrantAccountRole"
GRANT_DATABASE_ROLE = "snowflake:index/grantDatabaseRole:GrantDatabaseRole"
GRANT_TO_DATABASE_ROLE = "snowflake:index/grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole"
GRANT_TO_ACCOUNT_ROLE = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
GRANT_OWNERSHIP = "snowflake:index/grantOwnership:GrantOwnership"


def unquote(name: str) -> str:
    """`"DB"."ROLE"` becomes `DB.ROLE`, so names compare however a grant spelled them."""
    return name.replace('"', "")


@dataclass
class AccessGraph:
    """Users → account roles → database roles → schema privileges, and account roles → warehouses."""

    user_roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    role_parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    role_children: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    schema_privileges: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    database_privileges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    warehouse_usage: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    owners: dict[str, str] = field(default_factory=dict)

    def roles_of(self, role: str) -> set[str]:
        """The role itself and every role granted to it, transitively."""
        seen, stack = set(), [role]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.role_children.get(current, ()))
        return seen

    def effective_schema_privileges(self, role: str) -> dict[str, set[str]]:
        """Per qualified schema, every privilege `role` holds on it or on objects in it, through any path."""
        result: dict[str, set[str]] = defaultdict(set)
        for granted in self.roles_of(role):
            for schema, privileges in self.schema_privileges.get(granted, {}).items():
                result[schema] |= privileges
        return dict(result)

    def effective_warehouses(self, role: str) -> set[str]:
        """Warehouses `role` may use, directly or through roles granted to it."""
        return set().union(*(self.warehouse_usage.get(r, set()) for r in self.roles_of(role)))


def build_access_graph(resources: list[PlannedResource]) -> AccessGraph:
    """Reads every grant resource of a plan into an AccessGraph."""
    graph = AccessGraph()
    for resource in resources:
        inputs = resource.inputs
        if resource.type == GRANT_ACCOUNT_ROLE:
            if inputs.get("user_name"):
                graph.user_roles[inputs["user_name"]].add(inputs["role_name"])
            else:
                _link(graph, inputs["parent_role_name"], inputs["role_name"])
        elif resource.type == GRANT_DATABASE_ROLE:
            parent = inputs.get("parent_role_name") or inputs.get("parent_database_role_name")
            _link(graph, unquote(parent), unquote(inputs["database_role_name"]))
        elif resource.type == GRANT_TO_DATABASE_ROLE:
            _add_privileges(graph, unquote(inputs["database_role_name"]), inputs)
        elif resource.type == GRANT_TO_ACCOUNT_ROLE and inputs.get("on_account_object", {}).get(
            "object_type"
        ) == ("WAREHOUSE"):
            graph.warehouse_usage[inputs["account_role_name"]].add(inputs["on_account_object"]["object_name"])
        elif resource.type == GRANT_OWNERSHIP:
            graph.owners[unquote(inputs["on"]["object_name"])] = inputs["account_role_name"]
    return graph


def _link(graph: AccessGraph, parent: str, child: str) -> None:
    graph.role_parents[child].add(parent)
    graph.role_children[parent].add(child)


def _add_privileges(graph: AccessGraph, role: str, inputs: dict) -> None:
    privileges = set(inputs.get("privileges", []))
    if inputs.get("on_database"):
        graph.database_privileges[role] |= privileges
        return
    if inputs.get("on_schema"):
        schema = unquote(inputs["on_schema"]["schema_name"])
    else:
        on_object = inputs["on_schema_object"]
        scope = on_object.get("all") or on_object.get("future")
        schema = unquote(scope["in_schema"])
    graph.schema_privileges[role].setdefault(schema, set()).update(privileges)
