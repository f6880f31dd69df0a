"""Row access rules: every restricted table the stack declares has its row access policy attached."""

import re

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .rule import Settings, stack_rule
from .snowflake import EXECUTE, ROW_ACCESS_POLICY, VIEW, unquote

ROW_ACCESS = "sophia:row_access:RowAccess"
_ATTACH = re.compile(r"ALTER\s+TABLE\s+(\S+)\s+ADD\s+ROW\s+ACCESS\s+POLICY\s+(\S+)\s+ON\b", re.IGNORECASE)


def _attached(args: StackValidationArgs) -> set[tuple[str, str]]:
    """(object, policy name) of every attachment: an Execute's ALTER TABLE, or a view's own field."""
    found = set()
    for resource in args.resources:
        if resource.resource_type == EXECUTE:
            statement = "\n".join(
                line
                for line in str(resource.props.get("execute", "")).splitlines()
                if not line.strip().startswith("--")
            )
            for table, policy in _ATTACH.findall(statement):
                found.add((unquote(table).upper(), unquote(policy).upper().rsplit(".", 1)[-1]))
        elif resource.resource_type == VIEW and resource.props.get("rowAccessPolicy"):
            view = ".".join(unquote(str(resource.props.get(k, ""))) for k in ("database", "schema", "name"))
            policy = unquote(str(resource.props["rowAccessPolicy"].get("policyName", ""))).rsplit(".", 1)[-1]
            found.add((view.upper(), policy.upper()))
    return found


def _restricted_have_policy(args: StackValidationArgs, report: ReportViolation, _: Settings) -> None:
    declared_policies = {
        str(r.props.get("name", "")).upper() for r in args.resources if r.resource_type == ROW_ACCESS_POLICY
    }
    attached = _attached(args)
    for component in (r for r in args.resources if r.resource_type == ROW_ACCESS):
        for policy, restriction in (component.props.get("restrictions") or {}).items():
            if policy.upper() not in declared_policies:
                report(
                    f"Row access policy {policy} is declared restricting but no RowAccessPolicy creates it.",
                    None,
                )
            for table in restriction.get("tables") or []:
                if (str(table).upper(), policy.upper()) not in attached:
                    report(f"{table} is restricted by {policy}, but nothing attaches the policy to it.", None)


ROW_ACCESS_RULES = [
    stack_rule(
        "restricted-entities-have-row-access-policy",
        "Every table the stack declares restricted has its row access policy declared and attached.",
        Severity.CRITICAL,
        "Declare the restriction under security.rowAccess; the RowAccess component creates and attaches it.",
        _restricted_have_policy,
    ),
]
