"""Providers: one per system role and one acting as the owner role, credentials from config, secrets kept secret."""

from offline.export import provider_urn
from policies.sophia_policies.access_graph import build_access_graph
from tests.access_graph import effective_warehouses
from tests.harness import Plan
from tests.planned import Secret

PROVIDER = "pulumi:providers:snowflake"
OWNER = {"dev": "SOPHIA_AI_DEV_ADMIN_ROLE", "prod": "SOPHIA_AI_ADMIN_ROLE"}
# pulumi-snowflake reads tag and policy references for these, which needs a warehouse in the connection
# (SDK docstrings of tag.py and view.py); TagAssociation reads SYSTEM$GET_TAG, which needs none.
READS_REFERENCES = {"snowflake:index/tag:Tag", "snowflake:index/view:View"}


def test_one_provider_per_system_role_and_one_acting_as_the_owner(dev_plan: Plan, prod_plan: Plan) -> None:
    for stack, plan in (("dev", dev_plan), ("prod", prod_plan)):
        roles = sorted(p.inputs["role"] for p in plan.of_type(PROVIDER))
        assert roles == sorted(["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN", OWNER[stack]])


def test_account_and_token_are_secrets(any_plan: Plan) -> None:
    for provider in any_plan.of_type(PROVIDER):
        assert provider.inputs["organization_name"] == Secret()
        assert provider.inputs["account_name"] == Secret()
        assert provider.inputs["token"] == Secret()
        assert provider.inputs["authenticator"] == "PROGRAMMATIC_ACCESS_TOKEN"
        assert "password" not in provider.inputs


def test_preview_features_only_on_the_role_that_uses_them(dev_plan: Plan) -> None:
    features = {
        p.inputs["role"]: p.inputs.get("preview_features_enabled") for p in dev_plan.of_type(PROVIDER)
    }
    assert features == {
        OWNER["dev"]: [
            "snowflake_table_resource",
            "snowflake_table_constraint_resource",
            "snowflake_procedure_python_resource",
            "snowflake_alert_resource",
            "snowflake_email_notification_integration_resource",
            "snowflake_cortex_search_service_resource",
        ],
        "SECURITYADMIN": None,
        "SYSADMIN": None,
        "USERADMIN": None,
        "ACCOUNTADMIN": None,
    }


def test_providers_that_read_tags_and_views_connect_with_a_warehouse_their_role_may_use(
    any_plan: Plan,
) -> None:
    graph = build_access_graph((r.type, r.raw_inputs) for r in any_plan.resources)
    readers = {provider_urn(r) for r in any_plan.resources if r.type in READS_REFERENCES}
    assert readers
    for urn in readers:
        provider = any_plan.by_urn(urn)
        role, warehouse = provider.inputs["role"], provider.inputs.get("warehouse")
        assert warehouse in effective_warehouses(graph, role), f"{role} may not use {warehouse}"
        (usage,) = [
            g
            for g in any_plan.of_type(
                "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
            )
            if g.inputs["account_role_name"] == role
            and g.inputs.get("on_account_object") == {"object_type": "WAREHOUSE", "object_name": warehouse}
        ]
        assert usage.urn in provider.dependencies


def test_key_pair_authentication(planner) -> None:
    plan = planner(
        "dev",
        {"snowflakeAccount.authenticator": "SNOWFLAKE_JWT", "snowflakePrivateKey": {"secure": "x"}},
    )
    for provider in plan.of_type(PROVIDER):
        assert provider.inputs["authenticator"] == "SNOWFLAKE_JWT"
        assert provider.inputs["private_key"] == Secret()


def test_only_resource_monitors_and_their_assignment_use_accountadmin(any_plan: Plan) -> None:
    accountadmin_types = {r.type for r in any_plan.resources if r.provider_role == "ACCOUNTADMIN"}
    assert accountadmin_types == {
        "snowflake:index/resourceMonitor:ResourceMonitor",
        "snowflake:index/execute:Execute",
    }
