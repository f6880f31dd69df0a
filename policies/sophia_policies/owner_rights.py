"""Objects that run with their owner's rights (views, owner's-rights procedures, tasks) reach no data for
their readers that those readers could not read directly.

Snowflake: a view's reader needs SELECT on the view only, the view reads with its owner's privileges (Overview
of views, "Access control"); a procedure created EXECUTE AS OWNER (the default) runs with its owner's
privileges and returns its result to the caller (Understanding caller's rights and owner's rights stored
procedures); EXECUTE TASK runs the task with its owner's privileges and returns no result to whoever starts
it (EXECUTE TASK, usage notes), so a task reaches what its own statement reads, never what a CALL returns.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .grant_facts import ROLE, USER, GrantFact
from .once_per_stack import stack_grant_facts
from .rule import STRINGS, Settings, stack_rule
from .snowflake import PROCEDURES, SCHEMA, STREAM_ON_TABLE, TASK, VIEW, unquote
from .sql_reads import objects_read

# What reading an object of each declared type takes, and what running one does.
_PLURAL = {VIEW: "VIEWS", STREAM_ON_TABLE: "STREAMS", TASK: "TASKS"}
_USE = {VIEW: ("SELECT",), TASK: ("OPERATE",), **dict.fromkeys(PROCEDURES, ("USAGE",))}
_ANY = ("OWNERSHIP", "ALL PRIVILEGES")


class Access:
    """Who holds what, read back from the grants: an account role's privileges through every role it holds."""

    def __init__(self, facts: Iterable[GrantFact]) -> None:
        self.direct: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.children: dict[str, set[str]] = defaultdict(set)
        self._held: dict[str, set[tuple[str, str]]] = {}
        self._indexed: dict[str, tuple[dict[str, set[str]], dict[str, set[str]]]] = {}
        for fact in facts:
            if fact.privilege == ROLE:
                self.children[fact.grantee].add(fact.target.removeprefix(f"{ROLE} "))
            else:
                self.direct[fact.grantee].add((fact.privilege, fact.target))

    def account_roles(self) -> set[str]:
        """Roles a user or another account role can hold: grantees that are neither users nor database roles."""
        return {g for g in (*self.direct, *self.children) if not g.startswith(USER) and "." not in g}

    def holds(self, role: str) -> set[tuple[str, str]]:
        """Every (privilege, target) `role` holds, directly or through the roles granted to it."""
        if role not in self._held:
            seen, stack, held = set(), [role], set()
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    held |= self.direct.get(current, set())
                    stack.extend(self.children.get(current, ()))
            self._held[role] = held
        return self._held[role]

    def may(self, role: str, privileges: Sequence[str], plural: str, name: str) -> bool:
        """Whether `role` holds one of `privileges` on the object `name` (DB.S.O), by name or in bulk."""
        schema = name.rsplit(".", 1)[0]
        by_target, by_object = self._privileges_on(role)
        held = (
            by_target.get(f"ALL {plural} IN {schema}", set())
            | by_target.get(f"FUTURE {plural} IN {schema}", set())
            | by_object.get(f"{plural.removesuffix('S')} {name}", set())
        )
        return any(privilege in held for privilege in (*privileges, *_ANY))

    def _privileges_on(self, role: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """What `role` holds, by target and by object (a target without its signature), indexed once a role."""
        if role not in self._indexed:
            by_target: dict[str, set[str]] = defaultdict(set)
            by_object: dict[str, set[str]] = defaultdict(set)
            for privilege, on in self.holds(role):
                by_target[on].add(privilege)
                by_object[on.split("(")[0]].add(privilege)
            self._indexed[role] = (by_target, by_object)
        return self._indexed[role]


def _qualified(resource: Any) -> str:
    props = resource.props
    return ".".join(unquote(str(props.get(key, ""))) for key in ("database", "schema", "name"))


@cache
def _schemas_named(body: str, schemas: frozenset[str]) -> frozenset[str]:
    """`DB.S.*` for every declared schema a procedure's body names: all it may read there."""
    words = set(re.findall(r"\w+", body))
    return frozenset(f"{schema}.*" for schema in schemas if schema.split(".")[-1] in words)


def _reached(resource: Any, schemas: set[str]) -> frozenset[str]:
    """The objects (or, for a procedure's body, whole schemas) an owner's-rights object reads."""
    props = resource.props
    database, schema = unquote(str(props.get("database", ""))), unquote(str(props.get("schema", "")))
    if resource.resource_type == VIEW:
        return objects_read(str(props.get("statement", "")), database, schema)
    if resource.resource_type == TASK:
        statement = str(props.get("sqlStatement", ""))
        return (
            frozenset()
            if re.match(r"\s*CALL\b", statement, re.I)
            else objects_read(statement, database, schema)
        )
    return _schemas_named(str(props.get("procedureDefinition", "")), frozenset(schemas))


# Views whose owner's rights are their purpose, each guarded by a rule of its own: the audit views give the
# auditor, and only it (audit.py), the stack's slice of ACCOUNT_USAGE; the discovery view lists the tags of
# the stack's own objects (semantic.py keeps it tagged and in the semantic schema).
SANCTIONED_VIEWS = ["*.SOPHIA_OPS.AUDIT_*", "*.SOPHIA_SEMANTIC.TAGGED_OBJECTS"]


def _owner_rights_reach(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    access = Access(fact for _, fact in stack_grant_facts(args.resources))
    kinds = {_qualified(r).upper(): _PLURAL.get(r.resource_type, "TABLES") for r in args.resources}
    schemas = {
        f"{unquote(str(r.props.get('database')))}.{r.props.get('name')}"
        for r in args.resources
        if r.resource_type == SCHEMA
    }
    for resource in args.resources:
        if (
            resource.resource_type not in _USE
            or str(resource.props.get("executeAs", "OWNER")).upper() != "OWNER"
        ):
            continue
        name = _qualified(resource)
        if any(fnmatchcase(name.upper(), pattern) for pattern in config["sanctionedViews"]):
            continue
        plural = _PLURAL.get(resource.resource_type, "PROCEDURES")
        readers = [
            r
            for r in sorted(access.account_roles())
            if access.may(r, _USE[resource.resource_type], plural, name)
        ]
        for reached in sorted(_reached(resource, schemas)):
            for reader in readers:
                if not _reads(access, reader, reached, kinds):
                    report(
                        f"{resource.name} ({name}) runs with its owner's rights and reads {reached}, which {reader}, "
                        f"who may {_USE[resource.resource_type][0]} it, cannot read directly.",
                        resource.urn,
                    )


def _reads(access: Access, role: str, reached: str, kinds: Mapping[str, str]) -> bool:
    if reached.endswith(".*"):
        return access.may(role, ("SELECT",), "TABLES", f"{reached[:-2]}.*")
    return access.may(role, ("SELECT",), kinds.get(reached, "TABLES"), reached)


OWNER_RIGHTS_RULES = [
    stack_rule(
        "owner-rights-reach-no-further",
        "A view, owner's-rights procedure or task lets whoever may read, call or run it reach only data they "
        "could read directly.",
        Severity.CRITICAL,
        "Point the object at data its readers may read, or take the grant that lets them use it away (the "
        "object and the reader are named in the message).",
        _owner_rights_reach,
        settings={"sanctionedViews": (STRINGS, SANCTIONED_VIEWS)},
    ),
]
