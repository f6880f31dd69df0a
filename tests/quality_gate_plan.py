"""The data-quality gate's resources in the shipped stacks' plans, as its component tests read them."""

from catalog.quality_gate.objects import GateObjects
from models.enums import FunctionalRole
from models.naming import Naming
from tests.harness import Plan

TABLE = "snowflake:index/table:Table"
VIEW = "snowflake:index/view:View"
TASK = "snowflake:index/task:Task"
ALERT = "snowflake:index/alert:Alert"
EXECUTE = "snowflake:index/execute:Execute"
PROCEDURE = "snowflake:index/procedurePython:ProcedurePython"
SECRET = "snowflake:index/secretWithGenericString:SecretWithGenericString"
EMAIL = "snowflake:index/emailNotificationIntegration:EmailNotificationIntegration"
CONSTRAINT = "snowflake:index/tableConstraint:TableConstraint"
GRANT_TO_ROLE = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
GRANT_TO_DATABASE_ROLE = "snowflake:index/grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole"
TAG_ASSOCIATION = "snowflake:index/tagAssociation:TagAssociation"
GATE = "sophia:quality_gate:QualityGate"
NAMING = {"dev": Naming("SOPHIA_AI_DEV", "SOPHIA_AI_DEV"), "prod": Naming("SOPHIA_AI", "SOPHIA_AI_PROD")}
SOURCES = {"dev": ["GONG", "HUBSPOT", "SLACK"], "prod": ["GONG", "HUBSPOT", "SLACK", "NOTION", "SALESFORCE"]}
SLACK_STAND_IN = "https://hooks.slack.com/services/OFFLINE/STAND/IN"


def gate_objects(name: str) -> GateObjects:
    """The gate's objects in a shipped stack's operations schema."""
    return GateObjects(NAMING[name], "SOPHIA_OPS")


def gate_resources(plan: Plan, resource_type: str) -> list:
    """The gate component's own resources of one type."""
    return [r for r in plan.of_type(resource_type) if f"${GATE}$" in r.urn]


def gate_owner(name: str) -> str:
    """The role that owns the gate's objects in a shipped stack."""
    return NAMING[name].functional_role(FunctionalRole.ADMIN)


def account_grant(plan: Plan, privilege: str):
    """The one account-level grant of `privilege` in the plan."""
    (grant,) = [g for g in plan.of_type(GRANT_TO_ROLE) if privilege in (g.inputs.get("privileges") or [])]
    return grant
