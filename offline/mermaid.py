"""`build/<stack>/rbac.mmd`: users → functional roles → access roles → schemas and warehouses, as Mermaid."""

import re

from policies.sophia_policies.access_graph import AccessGraph

_NODE_ID = re.compile(r"[^A-Za-z0-9_]")


def _node(kind: str, name: str) -> str:
    return f"{kind}_{_NODE_ID.sub('_', name)}"


def rbac_mermaid(graph: AccessGraph) -> str:
    """A left-to-right flowchart; privileges label the edges from access roles to schemas."""
    lines = ["flowchart LR"]
    for user, roles in sorted(graph.user_roles.items()):
        lines.append(f'  {_node("user", user)}(["{user}"])')
        lines.extend(f"  {_node('user', user)} --> {_node('role', role)}" for role in sorted(roles))
    account_roles = (
        {role for roles in graph.user_roles.values() for role in roles}
        | set(graph.warehouse_usage)
        | {p for parents in graph.role_parents.values() for p in parents if "." not in p}
    )
    for role in sorted(account_roles):
        lines.append(f'  {_node("role", role)}["{role}"]')
    for child, parents in sorted(graph.role_parents.items()):
        for parent in sorted(parents):
            lines.append(f"  {_node('role', parent)} --> {_node('role', child)}")
    for role, schemas in sorted(graph.schema_privileges.items()):
        lines.append(f'  {_node("role", role)}{{{{"{role.split(".")[-1]}"}}}}')
        for schema, privileges in sorted(schemas.items()):
            label = ", ".join(sorted(privileges))
            lines.append(f'  {_node("role", role)} -- "{label}" --> {_node("schema", schema)}[("{schema}")]')
    for role, warehouses in sorted(graph.warehouse_usage.items()):
        for warehouse in sorted(warehouses):
            lines.append(f'  {_node("role", role)} -- USAGE --> {_node("wh", warehouse)}[/"{warehouse}"/]')
    return "\n".join(lines) + "\n"
