"""Providers: one per system role, account and credentials from config, secrets kept secret."""

from offline.resources import Secret
from tests.harness import Plan

PROVIDER = "pulumi:providers:snowflake"


def test_one_provider_per_system_role(any_plan: Plan) -> None:
    roles = sorted(p.inputs["role"] for p in any_plan.of_type(PROVIDER))
    assert roles == ["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN"]


def test_account_and_token_are_secrets(any_plan: Plan) -> None:
    for provider in any_plan.of_type(PROVIDER):
        assert provider.inputs["organization_name"] == Secret()
        assert provider.inputs["account_name"] == Secret()
        assert provider.inputs["token"] == Secret()
        assert provider.inputs["authenticator"] == "PROGRAMMATIC_ACCESS_TOKEN"
        assert "password" not in provider.inputs


def test_preview_features_only_on_the_role_that_uses_them(any_plan: Plan) -> None:
    features = {
        p.inputs["role"]: p.inputs.get("preview_features_enabled") for p in any_plan.of_type(PROVIDER)
    }
    assert features == {
        "SYSADMIN": ["snowflake_table_resource", "snowflake_table_constraint_resource"],
        "SECURITYADMIN": None,
        "USERADMIN": None,
        "ACCOUNTADMIN": None,
    }


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
