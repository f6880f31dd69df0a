"""Row access rules: every restricted table or curated stream the stack declares has its policy attached."""

import ast
import contextlib
import json
import re

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .rule import Settings, stack_rule
from .snowflake import EXECUTE, PROCEDURES, ROW_ACCESS_POLICY, VIEW, unquote

ROW_ACCESS = "sophia:row_access:RowAccess"
_ATTACH = re.compile(r"ALTER\s+TABLE\s+(\S+)\s+ADD\s+ROW\s+ACCESS\s+POLICY\s+(\S+)\s+ON\b", re.IGNORECASE)


def _attachments(statement: str) -> set[tuple[str, str]]:
    """(table, policy name) of each ALTER TABLE ... ADD ROW ACCESS POLICY in a statement, comments aside."""
    code = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
    return {(unquote(t).upper(), unquote(p).upper().rsplit(".", 1)[-1]) for t, p in _ATTACH.findall(code)}


def _gate_attachments(definition: str) -> set[tuple[str, str]]:
    """What a gate procedure attaches to the curated tables it creates: its PLAN's `attach_row_access`."""
    if "attach_row_access" not in definition:
        return set()  # no PLAN naming an attachment: not worth parsing the whole body
    try:
        module = ast.parse(definition)
    except SyntaxError:
        return set()
    found = set()
    for node in module.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if isinstance(target, ast.Name) and target.id == "PLAN" and isinstance(node.value, ast.Call):
            with contextlib.suppress(ValueError, TypeError, IndexError, AttributeError):
                plan = json.loads(ast.literal_eval(node.value.args[0]))
                for stream in plan.get("streams", []):
                    found |= _attachments(stream.get("attach_row_access") or "")
    return found


def _attached(args: StackValidationArgs) -> set[tuple[str, str]]:
    """(object, policy name) of every attachment: an Execute's ALTER TABLE, a view's own field, or the gate's."""
    found = set()
    for resource in args.resources:
        if resource.resource_type == EXECUTE:
            found |= _attachments(str(resource.props.get("execute", "")))
        elif resource.resource_type in PROCEDURES:
            found |= _gate_attachments(str(resource.props.get("procedureDefinition", "")))
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
            for table in restriction.get("streams") or []:
                if (str(table).upper(), policy.upper()) not in attached:
                    report(
                        f"Curated {table} is restricted by {policy}, but the gate does not attach the policy "
                        "when it creates the table.",
                        None,
                    )


ROW_ACCESS_RULES = [
    stack_rule(
        "restricted-entities-have-row-access-policy",
        "Every table the stack declares restricted has its row access policy declared and attached.",
        Severity.CRITICAL,
        "Declare the restriction under sophia-data-platform:security.rowAccess; the RowAccess component "
        "creates and attaches it.",
        _restricted_have_policy,
    ),
]
