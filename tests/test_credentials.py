"""Service credentials as declared: methods limited per user, second keys, tokens, and the alerts on them."""

import re
from pathlib import Path

import pulumi_snowflake

from tests.harness import Plan, assert_config_refused

USER = "snowflake:index/serviceUser:ServiceUser"
AUTH_POLICY = "snowflake:index/authenticationPolicy:AuthenticationPolicy"
ATTACHMENT = "snowflake:index/userAuthenticationPolicyAttachment:UserAuthenticationPolicyAttachment"
TOKEN = "snowflake:index/userProgrammaticAccessToken:UserProgrammaticAccessToken"
ALERT = "snowflake:index/alert:Alert"
DATABASE = "snowflake:index/database:Database"
SDK = Path(pulumi_snowflake.__file__).parent
SECOND_KEY = "MIIB" + "C" * 388


def _valid_values(module: str, argument: str) -> set[str]:
    """The values a pulumi-snowflake argument's docstring lists as valid: `A` | `B` | ..."""
    text = (SDK / f"{module}.py").read_text()
    line = next(x for x in text.splitlines() if f"] {argument}:" in x and ":param" in x)
    listed = line.split("alid values are", 1)[1].split(".", 1)[0]
    return set(re.findall(r"`([A-Z_]+)`", listed))


def test_each_service_user_is_limited_to_the_methods_it_uses(any_plan: Plan) -> None:
    users = {u.inputs["name"]: u for u in any_plan.of_type(USER)}
    policies = {p.inputs["name"]: p for p in any_plan.of_type(AUTH_POLICY)}
    attachments = {a.inputs["user_name"]: a for a in any_plan.of_type(ATTACHMENT)}
    assert sorted(attachments) == sorted(users)
    valid = _valid_values("authentication_policy", "authentication_methods")
    for name, attachment in attachments.items():
        policy_name = attachment.inputs["authentication_policy_name"].split(".")[-1].strip('"')
        policy = policies[policy_name]
        assert policy.inputs["authentication_methods"] == ["KEYPAIR"]  # no token is declared in the stacks
        assert set(policy.inputs["authentication_methods"]) <= valid
        assert set(policy.inputs["client_types"]) <= _valid_values("authentication_policy", "client_types")
        assert {policy.urn, users[name].urn} <= set(attachment.dependencies)


def test_log_levels_are_values_the_sdk_accepts(any_plan: Plan) -> None:
    (database,) = any_plan.of_type(DATABASE)
    assert database.inputs["log_level"] in _valid_values("database", "log_level")
    assert database.inputs["trace_level"] in _valid_values("database", "trace_level")


def test_a_second_key_rotates_without_downtime(planner) -> None:
    plan = planner("dev", {"security.credentials": {"secondPublicKeys": {"AIRBYTE": SECOND_KEY}}})
    airbyte = plan.named(USER, "SOPHIA_AI_DEV_AIRBYTE_SVC")
    assert airbyte.inputs["rsa_public_key2"] == SECOND_KEY
    assert (
        airbyte.inputs["rsa_public_key"].startswith("MII") and airbyte.inputs["rsa_public_key"] != SECOND_KEY
    )
    assert "rsa_public_key2" not in plan.named(USER, "SOPHIA_AI_DEV_APP_SVC").inputs


def test_a_declared_token_expires_is_role_restricted_and_its_method_allowed(planner) -> None:
    plan = planner("dev", {"security.credentials": {"tokens": {"APP": {"daysToExpiry": 30}}}})
    (token,) = plan.of_type(TOKEN)
    assert token.inputs["user"] == "SOPHIA_AI_DEV_APP_SVC"
    assert token.inputs["role_restriction"] == "SOPHIA_AI_DEV_APP_ROLE"
    assert (token.inputs["days_to_expiry"], token.inputs["keeper"]) == (30, "INITIAL")
    assert token.provider_role == "SECURITYADMIN"
    app = plan.named(AUTH_POLICY, "SOPHIA_AI_DEV_APP_AUTHENTICATION_POLICY")
    assert app.inputs["authentication_methods"] == ["KEYPAIR", "PROGRAMMATIC_ACCESS_TOKEN"]
    airbyte = plan.named(AUTH_POLICY, "SOPHIA_AI_DEV_AIRBYTE_AUTHENTICATION_POLICY")
    assert airbyte.inputs["authentication_methods"] == ["KEYPAIR"]


def test_credential_alerts_read_the_audit_views_through_the_gate_integration(dev_plan: Plan) -> None:
    alerts = {a.inputs["name"]: a for a in dev_plan.of_type(ALERT)}
    expiring, logins = alerts["CREDENTIALS_EXPIRING"], alerts["UNDECLARED_LOGINS"]
    assert "SOPHIA_AI_DEV.SOPHIA_OPS.AUDIT_CREDENTIALS" in expiring.inputs["condition"]
    assert "DATEADD(day, 14," in expiring.inputs["condition"]
    assert "SOPHIA_AI_DEV.SOPHIA_OPS.AUDIT_LOGINS" in logins.inputs["condition"]
    for alert in (expiring, logins):
        assert "SOPHIA_AI_DEV_QUALITY_ALERTS" in alert.inputs["action"]
        assert alert.inputs["warehouse"] == "SOPHIA_AI_DEV_ETL_WH"
        assert alert.provider_role == "SOPHIA_AI_DEV_ADMIN_ROLE"


def test_bad_credentials_config_is_refused_naming_the_key() -> None:
    assert_config_refused(
        "dev",
        {"security.credentials": {"tokens": {"APP": {"daysToExpiry": 120}}}},
        ["security.credentials.tokens.APP.daysToExpiry is 120", "maxTokenDays (90)"],
    )
    assert_config_refused(
        "dev",
        {"security.credentials": {"tokens": {"APP": {"daysToExpiry": 400}, "maxTokenDays": 365}}},
        ["daysToExpiry"],
    )
    assert_config_refused(
        "dev",
        {"security.credentials": {"secondPublicKeys": {"NOBODY": SECOND_KEY}}},
        ["security.credentials.secondPublicKeys.NOBODY 'NOBODY' is not allowed", "'AIRBYTE'"],
    )
    assert_config_refused(
        "dev", {"security.credentials": {"secondPublicKeys": {"APP": "ssh-rsa AAAA"}}}, ["RSA public key"]
    )
    assert_config_refused("dev", {"security.logging": {"logLevel": "LOUD"}}, ["logLevel"])
    assert_config_refused("dev", {"security.credentials": {"alertSchedule": "every day"}}, ["alertSchedule"])
