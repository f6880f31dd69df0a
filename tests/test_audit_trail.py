"""The audit trail as declared: views over ACCOUNT_USAGE for an auditor role that reads them and nothing else."""

from catalog.security import AUDIT_VIEWS, GATE_DECISIONS, audit_view_statements, pii_columns
from components.security import audit_scope
from models.naming import Naming
from offline.stack_files import load_stack_files
from stack.loader import load_stack_config
from tests.harness import PROJECT_DIR, Plan

VIEW = "snowflake:index/view:View"
GRANT = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
DATABASE_ROLE_GRANT = "snowflake:index/grantDatabaseRole:GrantDatabaseRole"
ACCOUNT_ROLE_GRANT = "snowflake:index/grantAccountRole:GrantAccountRole"
ROLE = "snowflake:index/accountRole:AccountRole"
EXECUTE = "snowflake:index/execute:Execute"
DATABASE = "snowflake:index/database:Database"
AUDITOR = "SOPHIA_AI_DEV_AUDITOR_ROLE"


def test_the_audit_views_are_the_stack_scoped_sql(dev_plan: Plan) -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    config = load_stack_config(files.project, files.values, files.secret_keys)
    naming = Naming(prefix=config.name_prefix, database=config.database.name)
    expected = audit_view_statements(audit_scope(config, naming), pii_columns(config.catalog, naming))
    views = {v.inputs["name"]: v for v in dev_plan.of_type(VIEW) if v.inputs["name"] in AUDIT_VIEWS}
    assert sorted(views) == sorted(AUDIT_VIEWS)
    for name, view in views.items():
        assert view.inputs["statement"] == expected[name]
        assert view.inputs["schema"] == "SOPHIA_OPS" and view.inputs["is_secure"] == "true"
        # How stale each view may be, where it stands; the gate's decisions are read live.
        assert "latency up to" in view.inputs["comment"] or name == GATE_DECISIONS
        assert view.provider_role == "SOPHIA_AI_DEV_ADMIN_ROLE"
    logins = views["AUDIT_LOGINS"].inputs["statement"]
    for user in ("SOPHIA_AI_DEV_AIRBYTE_SVC", "SOPHIA_AI_DEV_APP_SVC", "SOPHIA_AI_DEV_HOOKS_SVC"):
        assert f"'{user}.RSA_KEYPAIR'" in logins
    assert "PROGRAMMATIC_ACCESS_TOKEN'" in logins  # the deploying user signs in by token


def test_the_view_owner_holds_each_snowflake_role_once_and_the_views_wait_for_it(dev_plan: Plan) -> None:
    grants = [
        g
        for g in dev_plan.of_type(DATABASE_ROLE_GRANT)
        if g.inputs["database_role_name"].startswith('"SNOWFLAKE"')
    ]
    names = [g.inputs["database_role_name"] for g in grants]
    # One resource per grant: two resources managing one grant revoke it when either is deleted.
    assert sorted(names) == sorted(set(names))
    # The audit views need these two; the alerts, the embedding tasks and the discovery view hold the others.
    assert set(names) == {
        f'"SNOWFLAKE"."{role}"'
        for role in ("GOVERNANCE_VIEWER", "SECURITY_VIEWER", "ALERT_VIEWER", "CORTEX_USER")
    }
    viewers = [
        g
        for g in grants
        if g.inputs["database_role_name"].endswith(('GOVERNANCE_VIEWER"', 'SECURITY_VIEWER"'))
    ]
    views = [v for v in dev_plan.of_type(VIEW) if v.inputs["name"] in AUDIT_VIEWS]
    for grant in viewers:
        assert grant.inputs["parent_role_name"] == "SOPHIA_AI_DEV_ADMIN_ROLE"
        assert grant.provider_role == "SECURITYADMIN"
        assert all(grant.urn in view.dependencies for view in views)


def _target(inputs: dict) -> str:
    if "on_account_object" in inputs:
        return inputs["on_account_object"]["object_type"]
    if "on_schema" in inputs:
        return inputs["on_schema"]["schema_name"]
    return f"{inputs['on_schema_object']['object_type']} {inputs['on_schema_object']['object_name']}"


def test_the_auditor_reads_the_audit_views_and_nothing_else(dev_plan: Plan) -> None:
    dev_plan.named(ROLE, AUDITOR)
    held = sorted(
        (tuple(g.inputs["privileges"]), _target(g.inputs))
        for g in dev_plan.of_type(GRANT)
        if g.inputs["account_role_name"] == AUDITOR
    )
    assert held == sorted(
        [
            (("USAGE",), "DATABASE"),
            (("USAGE",), '"SOPHIA_AI_DEV"."SOPHIA_OPS"'),
            (("USAGE",), "WAREHOUSE"),
            *((("SELECT",), f'VIEW "SOPHIA_AI_DEV"."SOPHIA_OPS"."{view}"') for view in AUDIT_VIEWS),
        ]
    )
    # Granted to SYSADMIN like every custom role, and to nothing else; no role is granted to it.
    parents = [
        g.inputs.get("parent_role_name")
        for g in dev_plan.of_type(ACCOUNT_ROLE_GRANT)
        if g.inputs["role_name"] == AUDITOR
    ]
    assert parents == ["SYSADMIN"]
    assert not [
        g for g in dev_plan.of_type(ACCOUNT_ROLE_GRANT) if g.inputs.get("parent_role_name") == AUDITOR
    ]


def test_procedures_and_tasks_log_to_the_database_event_table(dev_plan: Plan, prod_plan: Plan) -> None:
    (database,) = dev_plan.of_type(DATABASE)
    assert (database.inputs["log_level"], database.inputs["trace_level"]) == ("INFO", "ON_EVENT")
    (prod_database,) = prod_plan.of_type(DATABASE)
    assert prod_database.inputs["log_level"] == "WARN"
    executes = {e.inputs["execute"].splitlines()[-1]: e for e in dev_plan.of_type(EXECUTE)}
    table = executes["CREATE EVENT TABLE IF NOT EXISTS SOPHIA_AI_DEV.SOPHIA_OPS.SOPHIA_EVENTS"]
    parameter = executes[
        "ALTER DATABASE SOPHIA_AI_DEV SET EVENT_TABLE = SOPHIA_AI_DEV.SOPHIA_OPS.SOPHIA_EVENTS"
    ]
    assert table.provider_role == "SOPHIA_AI_DEV_ADMIN_ROLE" and parameter.provider_role == "SYSADMIN"
    assert table.urn in parameter.dependencies and database.urn in parameter.dependencies
    assert parameter.inputs["revert"] == "ALTER DATABASE SOPHIA_AI_DEV UNSET EVENT_TABLE"


def test_the_audit_views_carry_the_metadata_tag(dev_plan: Plan) -> None:
    tagged = {
        identifier
        for association in dev_plan.of_type("snowflake:index/tagAssociation:TagAssociation")
        if association.inputs["object_type"] == "VIEW"
        for identifier in association.inputs["object_identifiers"]
    }
    assert {f'"SOPHIA_AI_DEV"."SOPHIA_OPS"."{view}"' for view in AUDIT_VIEWS} <= tagged
