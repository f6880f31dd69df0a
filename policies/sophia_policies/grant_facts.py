"""Every grant resource read as the facts it makes true: who receives which privilege (or role) on what."""

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from .snowflake import (
    GRANT_ACCOUNT_ROLE,
    GRANT_DATABASE_ROLE,
    GRANT_OWNERSHIP,
    GRANT_TO_ACCOUNT_ROLE,
    GRANT_TO_DATABASE_ROLE,
    unquote,
)

GRANT_TYPES = (
    GRANT_ACCOUNT_ROLE,
    GRANT_DATABASE_ROLE,
    GRANT_TO_ACCOUNT_ROLE,
    GRANT_TO_DATABASE_ROLE,
    GRANT_OWNERSHIP,
)
# The privilege a role grant gives: the granted role's own privileges.
ROLE = "ROLE"
USER = "USER "
ACCOUNT = "ACCOUNT"


class GrantFact(NamedTuple):
    """`grantee` holds `privilege` on `target`; a target is `DATABASE DB`, `SCHEMA DB.S`, `ALL TABLES IN DB.S`..."""

    grantee: str
    privilege: str
    target: str


def target(kind: str, name: str) -> str:
    """`SCHEMA DB.S`, `TASK DB.S.T`, `ROLE DB.READ`: one spelling, however the grant quoted the name."""
    return f"{kind} {unquote(name)}".strip()


def bulk(scope: str, plural: str, container: str) -> str:
    """`ALL TABLES IN DB.S` or `FUTURE VIEWS IN DB.S`."""
    return f"{scope} {plural.upper()} IN {unquote(container)}"


def grant_facts(resource_type: str, props: Mapping[str, Any]) -> list[GrantFact]:
    """The facts one grant resource makes true; [] for a resource that is not a grant."""
    if resource_type == GRANT_ACCOUNT_ROLE:
        grantee = f"{USER}{props['userName']}" if props.get("userName") else props.get("parentRoleName", "")
        return [GrantFact(grantee, ROLE, target(ROLE, props.get("roleName", "")))]
    if resource_type == GRANT_DATABASE_ROLE:
        grantee = (
            props.get("parentRoleName")
            or props.get("parentDatabaseRoleName")
            or f"SHARE {props.get('shareName')}"
        )
        return [GrantFact(unquote(grantee), ROLE, target(ROLE, props.get("databaseRoleName", "")))]
    if resource_type == GRANT_OWNERSHIP:
        grantee = props.get("accountRoleName") or props.get("databaseRoleName") or ""
        on = {"onSchemaObject": props.get("on") or {}}
        return [GrantFact(unquote(grantee), "OWNERSHIP", where) for where in _targets(on)]
    if resource_type not in (GRANT_TO_ACCOUNT_ROLE, GRANT_TO_DATABASE_ROLE):
        return []
    grantee = unquote(props.get("accountRoleName") or props.get("databaseRoleName") or "")
    privileges = ["ALL PRIVILEGES"] if props.get("allPrivileges") else list(props.get("privileges") or [])
    suffix = " WITH GRANT OPTION" if props.get("withGrantOption") else ""
    return [GrantFact(grantee, f"{p}{suffix}", on) for p in privileges for on in _targets(props)]


def _targets(props: Mapping[str, Any]) -> Iterator[str]:
    """What a grant is on, in the shapes pulumi-snowflake's grant resources take."""
    if props.get("onAccount"):
        yield ACCOUNT
    if props.get("onDatabase"):
        yield target("DATABASE", props["onDatabase"])
    if on_object := props.get("onAccountObject"):
        yield target(on_object.get("objectType", ""), on_object.get("objectName", ""))
    if on_schema := props.get("onSchema"):
        if on_schema.get("schemaName"):
            yield target("SCHEMA", on_schema["schemaName"])
        for scope, key in (("ALL", "allSchemasInDatabase"), ("FUTURE", "futureSchemasInDatabase")):
            if on_schema.get(key):
                yield bulk(scope, "SCHEMAS", on_schema[key])
    on_object = props.get("onSchemaObject") or {}
    if on_object.get("objectName"):
        yield target(on_object.get("objectType", ""), on_object["objectName"])
    for scope in ("all", "future"):
        if spec := on_object.get(scope):
            container = spec.get("inSchema") or spec.get("inDatabase") or ""
            yield bulk(scope.upper(), spec.get("objectTypePlural", ""), container)


def all_grant_facts(resources: Any) -> Iterator[tuple[Any, GrantFact]]:
    """Every (resource, fact) among policy resources."""
    for resource in resources:
        if resource.resource_type in GRANT_TYPES:
            for fact in grant_facts(resource.resource_type, resource.props):
                yield resource, fact
