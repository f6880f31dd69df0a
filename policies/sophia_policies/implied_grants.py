"""The access matrix is the whole truth about grants: a grant it does not imply is a violation, whoever gets it."""

from collections.abc import Iterator, Sequence
from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from models.access_matrix import (
    ACCESS_MATRIX,
    AUDIT_VIEW_PREFIX,
    AUDITOR_CONTAINER_PRIVILEGES,
    AUDITOR_WAREHOUSE,
    GATE_OPERATOR_PRIVILEGES,
    GATE_OPERATOR_ROLE,
    OWNER_ACCOUNT_PRIVILEGES,
    OWNER_CREDENTIAL_ACCOUNT_PRIVILEGES,
    OWNER_DATABASE_PRIVILEGES,
    OWNER_GATE_ACCOUNT_PRIVILEGES,
    OWNER_ROLE,
    OWNER_SERVERLESS_TASK_PRIVILEGE,
    OWNER_SNOWFLAKE_DATABASE_ROLES,
    OWNER_TAGGING_ACCOUNT_PRIVILEGE,
    PRIVILEGES,
    SEARCH_SERVICE,
    SEARCH_SERVICE_PRIVILEGES,
    SEARCH_SERVICE_READER,
    WAREHOUSE_OWNER_TAG_PRIVILEGES,
    WAREHOUSE_USAGE,
    access_levels,
)
from models.naming import METADATA_TAG, OPS_SCHEMA, SEMANTIC_SCHEMA, TAG_SCHEMA, Naming
from models.schema_layout import SchemaSpec, schema_layout

from .grant_facts import ACCOUNT, ROLE, USER, GrantFact, bulk, target
from .once_per_stack import stack_grant_facts
from .rule import STRING, Settings, stack_rule
from .snowflake import DATABASE, SCHEMA, USERS, VIEW, unquote

SYSADMIN = "SYSADMIN"
RAW_SUFFIX = Naming.raw_schema("")


def declared_layout(resources: Sequence[Any]) -> tuple[str | None, list[SchemaSpec]]:
    """The stack's database and its schema layout, with the sources read back from the RAW schemas declared."""
    databases = [str(r.props.get("name")) for r in resources if r.resource_type == DATABASE]
    names = [str(r.props.get("name", "")) for r in resources if r.resource_type == SCHEMA]
    sources = sorted({name.removesuffix(RAW_SUFFIX) for name in names if name.endswith(RAW_SUFFIX)})
    return (databases[0] if len(databases) == 1 else None), schema_layout(sources)


def implied_facts(
    prefix: str, database: str, layout: Sequence[SchemaSpec], audit_views: Sequence[str] = ()
) -> set[GrantFact]:
    """Every grant fact models/access_matrix.py implies for a stack with this prefix, database and layout."""
    naming = Naming(prefix, database)
    return (
        set(_access_roles(naming, layout))
        | set(_functional_roles(naming, layout))
        | set(_auditor_and_search(naming, audit_views))
    )


def declared_audit_views(resources: Sequence[Any], database: str) -> list[str]:
    """The views in the database's SOPHIA_OPS named as audit views: what the auditor may read."""
    return [
        str(r.props.get("name"))
        for r in resources
        if r.resource_type == VIEW
        and unquote(str(r.props.get("database", ""))) == database
        and unquote(str(r.props.get("schema", ""))) == OPS_SCHEMA
        and str(r.props.get("name", "")).startswith(AUDIT_VIEW_PREFIX)
    ]


def _auditor_and_search(naming: Naming, audit_views: Sequence[str]) -> Iterator[GrantFact]:
    """The auditor's reads of the audit views and what holds them, and the app role's use of the search service."""
    db, auditor = naming.database, naming.auditor_role()
    yield GrantFact(SYSADMIN, ROLE, target(ROLE, auditor))
    for kind, name in (
        ("DATABASE", db),
        ("SCHEMA", f"{db}.{OPS_SCHEMA}"),
        ("WAREHOUSE", naming.warehouse(AUDITOR_WAREHOUSE)),
    ):
        yield from (GrantFact(auditor, p, target(kind, name)) for p in AUDITOR_CONTAINER_PRIVILEGES)
    yield from (GrantFact(auditor, "SELECT", target("VIEW", f"{db}.{OPS_SCHEMA}.{v}")) for v in audit_views)
    service = target("CORTEX SEARCH SERVICE", f"{db}.{SEMANTIC_SCHEMA}.{SEARCH_SERVICE}")
    reader = naming.functional_role(SEARCH_SERVICE_READER)
    yield from (GrantFact(reader, p, service) for p in SEARCH_SERVICE_PRIVILEGES)


def _access_roles(naming: Naming, layout: Sequence[SchemaSpec]) -> Iterator[GrantFact]:
    """Each access role's privileges on the database, its schema and the schema's objects, and its inclusion."""
    db = naming.database
    for spec in layout:
        schema = f"{db}.{spec.name}"
        for level in access_levels(spec.kind):
            role = f"{db}.{naming.access_role(spec.name, level.value)}"
            granted = PRIVILEGES[level]
            yield from (GrantFact(role, p, target("DATABASE", db)) for p in granted.database)
            yield from (GrantFact(role, p, target("SCHEMA", schema)) for p in granted.schema)
            for plural, privileges in (("TABLES", granted.tables), ("VIEWS", granted.views)):
                for scope in ("ALL", "FUTURE"):
                    yield from (GrantFact(role, p, bulk(scope, plural, schema)) for p in privileges)
            if granted.includes is not None:
                included = f"{db}.{naming.access_role(spec.name, granted.includes.value)}"
                yield GrantFact(role, ROLE, target(ROLE, included))


def _functional_roles(naming: Naming, layout: Sequence[SchemaSpec]) -> Iterator[GrantFact]:
    """Access roles and warehouses per functional role, the roll-up, the owner's and the gate operator's."""
    db = naming.database
    for functional, by_kind in ACCESS_MATRIX.items():
        role = naming.functional_role(functional)
        yield GrantFact(SYSADMIN, ROLE, target(ROLE, role))
        for spec in layout:
            if spec.kind in by_kind:
                access = f"{db}.{naming.access_role(spec.name, by_kind[spec.kind].value)}"
                yield GrantFact(role, ROLE, target(ROLE, access))
        for purpose in WAREHOUSE_USAGE[functional]:
            yield GrantFact(role, "USAGE", target("WAREHOUSE", naming.warehouse(purpose)))
    owner = naming.functional_role(OWNER_ROLE)
    yield from (GrantFact(owner, p, target("DATABASE", db)) for p in OWNER_DATABASE_PRIVILEGES)
    account = (
        *OWNER_ACCOUNT_PRIVILEGES,
        *OWNER_GATE_ACCOUNT_PRIVILEGES,
        OWNER_SERVERLESS_TASK_PRIVILEGE,
        OWNER_TAGGING_ACCOUNT_PRIVILEGE,
        *OWNER_CREDENTIAL_ACCOUNT_PRIVILEGES,
    )
    yield from (GrantFact(owner, p, ACCOUNT) for p in account)
    yield from (
        GrantFact(owner, ROLE, target(ROLE, role.qualified)) for role in OWNER_SNOWFLAKE_DATABASE_ROLES
    )
    tag = target("TAG", f"{db}.{TAG_SCHEMA}.{METADATA_TAG}")
    yield from (GrantFact(SYSADMIN, p, tag) for p in WAREHOUSE_OWNER_TAG_PRIVILEGES)
    operator = naming.functional_role(GATE_OPERATOR_ROLE)
    yield from (GrantFact(operator, p, target("DATABASE", db)) for p in GATE_OPERATOR_PRIVILEGES.database)
    ops = f"{db}.{OPS_SCHEMA}"
    yield from (GrantFact(operator, p, target("SCHEMA", ops)) for p in GATE_OPERATOR_PRIVILEGES.schema)
    for source in sorted({spec.source for spec in layout if spec.source}):
        task = target("TASK", f"{ops}.{naming.quality_gate_task(source)}")
        yield from (GrantFact(operator, p, task) for p in GATE_OPERATOR_PRIVILEGES.task)


def _user_facts(resources: Sequence[Any], prefix: str, granted: Sequence[GrantFact]) -> set[GrantFact]:
    """A declared service user gets its own default role; a user the stack does not declare (the deploying
    user, who must hold the owner role to create through it) gets only the owner role."""
    declared = {
        str(r.props.get("name")): str(r.props.get("defaultRole", ""))
        for r in resources
        if r.resource_type in USERS
    }
    facts = {GrantFact(f"{USER}{name}", ROLE, target(ROLE, role)) for name, role in declared.items() if role}
    owner = target(ROLE, Naming(prefix, "").functional_role(OWNER_ROLE))
    granted_users = {fact.grantee for fact in granted if fact.grantee.startswith(USER)}
    facts |= {
        GrantFact(user, ROLE, owner) for user in granted_users if user.removeprefix(USER) not in declared
    }
    return facts


def _grants_implied_by_matrix(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    database, layout = declared_layout(args.resources)
    facts = stack_grant_facts(args.resources)
    implied = _user_facts(args.resources, config["namePrefix"], [fact for _, fact in facts])
    if database:
        implied |= implied_facts(
            config["namePrefix"], database, layout, declared_audit_views(args.resources, database)
        )
    for resource, fact in facts:
        if fact not in implied:
            report(
                f"{resource.name} gives {fact.grantee} {fact.privilege} on {fact.target}, which the access matrix "
                "(models/access_matrix.py) does not imply.",
                resource.urn,
            )


IMPLIED_GRANT_RULES = [
    stack_rule(
        "grants-implied-by-access-matrix",
        "Every grant is one the access matrix implies for the stack's prefix, database and schemas.",
        Severity.CRITICAL,
        "Drop the grant, or change models/access_matrix.py (the one place access is declared) so that it "
        "implies it.",
        _grants_implied_by_matrix,
        settings={"namePrefix": (STRING, "SOPHIA_AI")},
    ),
]
