"""Audit rules: the auditor only reads the audit views, and the application role never reads them."""

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .once_per_stack import stack_access_graph
from .rule import STRING, STRINGS, Settings, stack_rule
from .snowflake import (
    GRANT_ACCOUNT_ROLE,
    GRANT_DATABASE_ROLE,
    GRANT_TO_ACCOUNT_ROLE,
    GRANT_TO_DATABASE_ROLE,
    VIEW,
    unquote,
)

ACCOUNT_USAGE = re.compile(r"SNOWFLAKE\.ACCOUNT_USAGE\.(\w+)")
# Object metadata, not a trail of who did what: the tag-discovery view the application reads is built on it.
METADATA_VIEWS = {"TAG_REFERENCES"}
CONTAINERS = {"DATABASE", "SCHEMA", "WAREHOUSE"}
# Audit views that read the stack's own tables (the gate's decisions) are known by name, DB.SCHEMA.VIEW.
AUDIT_VIEW_NAMES = ["*.AUDIT_*"]


def audit_views(resources: Iterable[Any], patterns: Iterable[str]) -> set[str]:
    """DB.SCHEMA.VIEW of every view over an ACCOUNT_USAGE history or named as an audit view: the audit trail."""
    found = set()
    for r in resources:
        if r.resource_type != VIEW:
            continue
        name = ".".join(unquote(str(r.props.get(k, ""))) for k in ("database", "schema", "name")).upper()
        read = set(ACCOUNT_USAGE.findall(str(r.props.get("statement", "")).upper()))
        over_usage = bool(read - METADATA_VIEWS)
        if over_usage or any(fnmatchcase(name, pattern) for pattern in patterns):
            found.add(name)
    return found


def _target(props: dict) -> tuple[str, str]:
    """(object type, qualified name) a privilege grant is on; ALL / FUTURE scopes as `ALL <TYPE> IN <schema>`."""
    if props.get("onAccountObject"):
        return props["onAccountObject"].get("objectType", ""), unquote(
            props["onAccountObject"].get("objectName", "")
        )
    if props.get("onSchema"):
        return "SCHEMA", unquote(props["onSchema"].get("schemaName", ""))
    if props.get("onDatabase"):
        return "DATABASE", unquote(props["onDatabase"])
    on_object = props.get("onSchemaObject") or {}
    for scope in ("all", "future"):
        if on_object.get(scope):
            kind = on_object[scope].get("objectTypePlural", "")
            return f"{scope.upper()} {kind}", unquote(on_object[scope].get("inSchema", ""))
    if on_object:
        return on_object.get("objectType", ""), unquote(on_object.get("objectName", ""))
    return "ACCOUNT" if props.get("onAccount") else "", ""


def _auditor_reads_only(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    views = audit_views(args.resources, config["auditViews"])
    auditors = config["auditorRoles"]

    def is_auditor(role: str) -> bool:
        return any(fnmatchcase(unquote(role), pattern) for pattern in auditors)

    for r in args.resources:
        props = r.props
        if r.resource_type in (GRANT_ACCOUNT_ROLE, GRANT_DATABASE_ROLE) and is_auditor(
            props.get("parentRoleName") or ""
        ):
            granted = props.get("roleName") or props.get("databaseRoleName")
            report(
                f"{r.name} grants role {granted} to the auditor, which reads the audit views and nothing else.",
                r.urn,
            )
        if r.resource_type != GRANT_TO_ACCOUNT_ROLE or not is_auditor(props.get("accountRoleName", "")):
            continue
        kind, name = _target(props)
        privileges = {str(p).upper() for p in props.get("privileges") or []} | (
            {"ALL"} if props.get("allPrivileges") else set()
        )
        if kind.upper() in CONTAINERS and privileges <= {"USAGE"}:
            continue
        if kind.upper() == "VIEW" and name.upper() in views and privileges <= {"SELECT"}:
            continue
        report(
            f"{r.name} gives the auditor {sorted(privileges)} on {kind} {name}; it may only read the audit views.",
            r.urn,
        )


def _view_grants(args: StackValidationArgs, views: set[str]) -> list[tuple[Any, str]]:
    """(grant, grantee) of every SELECT that reaches an audit view: on the view, or on all or future views."""
    schemas = {view.rsplit(".", 1)[0] for view in views}
    found = []
    for r in args.resources:
        if r.resource_type not in (GRANT_TO_ACCOUNT_ROLE, GRANT_TO_DATABASE_ROLE):
            continue
        privileges = {str(p).upper() for p in r.props.get("privileges") or []}
        if not (privileges & {"SELECT", "ALL"} or r.props.get("allPrivileges")):
            continue
        kind, name = _target(r.props)
        reaches = (kind.upper() == "VIEW" and name.upper() in views) or (
            kind.upper() in ("ALL VIEWS", "FUTURE VIEWS") and name.upper() in schemas
        )
        if reaches:
            found.append(
                (r, unquote(r.props.get("accountRoleName") or r.props.get("databaseRoleName") or ""))
            )
    return found


def _not_readable_by_app(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    views = audit_views(args.resources, config["auditViews"])
    graph = stack_access_graph(args.resources)
    reachable = {role.upper() for role in graph.roles_of(config["appRole"])}
    for grant, grantee in _view_grants(args, views):
        if grantee.upper() in reachable:
            report(
                f"{grant.name} lets {config['appRole']} (through {grantee}) read audit views {sorted(views)}.",
                grant.urn,
            )


AUDIT_RULES = [
    stack_rule(
        "auditor-reads-only-audit-views",
        "The auditor role holds SELECT on the audit views and USAGE on what contains them, nothing more.",
        Severity.HIGH,
        "Grant the auditor SELECT on each audit view and USAGE on its database, schema and warehouse only.",
        _auditor_reads_only,
        settings={"auditorRoles": (STRINGS, ["*_AUDITOR_ROLE"]), "auditViews": (STRINGS, AUDIT_VIEW_NAMES)},
    ),
    stack_rule(
        "audit-views-not-readable-by-app",
        "The application role reaches no audit view, directly or through an access role.",
        Severity.CRITICAL,
        "Keep audit views out of the schemas the app reads, and grant them to the auditor role alone.",
        _not_readable_by_app,
        settings={"appRole": (STRING, "SOPHIA_AI_APP_ROLE"), "auditViews": (STRINGS, AUDIT_VIEW_NAMES)},
    ),
]
