"""Who can reach what, read back from the declared grants (not from the matrix that produced them)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .snowflake import (
    GRANT_ACCOUNT_ROLE,
    GRANT_DATABASE_ROLE,
    GRANT_TO_ACCOUNT_ROLE,
    GRANT_TO_DATABASE_ROLE,
    unquote,
)


@dataclass
class AccessGraph:
    """Users → account roles → database roles → schema privileges, and account roles → warehouses."""

    user_roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    role_parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    role_children: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    schema_privileges: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
    database_privileges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    warehouse_usage: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

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


def build_access_graph(resources: Iterable[tuple[str, Mapping[str, Any]]]) -> AccessGraph:
    """Reads every grant among `(type, camelCase inputs)` pairs into an AccessGraph."""
    graph = AccessGraph()
    for resource_type, inputs in resources:
        if resource_type == GRANT_ACCOUNT_ROLE:
            if inputs.get("userName"):
                graph.user_roles[inputs["userName"]].add(inputs["roleName"])
            else:
                _link(graph, inputs["parentRoleName"], inputs["roleName"])
        elif resource_type == GRANT_DATABASE_ROLE:
            parent = inputs.get("parentRoleName") or inputs.get("parentDatabaseRoleName")
            if parent:
                _link(graph, unquote(parent), unquote(inputs["databaseRoleName"]))
        elif resource_type == GRANT_TO_DATABASE_ROLE:
            _add_privileges(graph, unquote(inputs["databaseRoleName"]), inputs)
        elif resource_type == GRANT_TO_ACCOUNT_ROLE:
            _add_account_role_privileges(graph, inputs)
    return graph


def _link(graph: AccessGraph, parent: str, child: str) -> None:
    graph.role_parents[child].add(parent)
    graph.role_children[parent].add(child)


def _add_privileges(graph: AccessGraph, role: str, inputs: Mapping[str, Any]) -> None:
    """Privileges on a schema or on all/future objects in it count against that schema."""
    privileges = set(inputs.get("privileges") or [])
    if inputs.get("allPrivileges"):
        privileges.add("ALL")
    if inputs.get("onDatabase"):
        graph.database_privileges[role] |= privileges
        return
    schema = _schema_of(inputs)
    if schema:
        graph.schema_privileges[role].setdefault(schema, set()).update(privileges)


def _add_account_role_privileges(graph: AccessGraph, inputs: Mapping[str, Any]) -> None:
    """Account roles get warehouse usage, and may get schema privileges directly too."""
    role = inputs["accountRoleName"]
    on_account_object = inputs.get("onAccountObject") or {}
    if on_account_object.get("objectType") == "WAREHOUSE":
        graph.warehouse_usage[role].add(on_account_object["objectName"])
        return
    _add_privileges(graph, role, inputs)


def _schema_of(inputs: Mapping[str, Any]) -> str | None:
    """The schema a privilege grant targets, whether on the schema or on objects within it."""
    if inputs.get("onSchema"):
        return unquote(inputs["onSchema"].get("schemaName", "")) or None
    on_object = inputs.get("onSchemaObject") or {}
    scope = on_object.get("all") or on_object.get("future")
    if scope:
        return unquote(scope.get("inSchema", "")) or None
    if on_object.get("objectName"):
        return ".".join(unquote(on_object["objectName"]).split(".")[:2])
    return None
