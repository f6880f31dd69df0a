"""Service users: TYPE = SERVICE, key pair only, their functional role's defaults, each under a network policy."""

from tests.harness import DELETE, Plan, declared_resources, failed_plan

USER = "snowflake:index/serviceUser:ServiceUser"
POLICY = "snowflake:index/networkPolicy:NetworkPolicy"
ATTACHMENT = "snowflake:index/networkPolicyAttachment:NetworkPolicyAttachment"
NS = "sophia-data-platform:"


def test_service_users_use_keys_and_their_role_defaults(dev_plan: Plan) -> None:
    users = {u.inputs["name"]: u.inputs for u in dev_plan.of_type(USER)}
    assert set(users) == {"SOPHIA_AI_DEV_AIRBYTE_SVC", "SOPHIA_AI_DEV_APP_SVC", "SOPHIA_AI_DEV_HOOKS_SVC"}
    airbyte, app = users["SOPHIA_AI_DEV_AIRBYTE_SVC"], users["SOPHIA_AI_DEV_APP_SVC"]
    assert (airbyte["default_role"], airbyte["default_warehouse"]) == (
        "SOPHIA_AI_DEV_ETL_ROLE",
        "SOPHIA_AI_DEV_ETL_WH",
    )
    assert (app["default_role"], app["default_warehouse"]) == (
        "SOPHIA_AI_DEV_APP_ROLE",
        "SOPHIA_AI_DEV_REALTIME_WH",
    )
    # The receiver's runs use the gate task's own warehouse, so its user has none to start in.
    hooks = users["SOPHIA_AI_DEV_HOOKS_SVC"]
    assert hooks["default_role"] == "SOPHIA_AI_DEV_HOOKS_ROLE"
    assert "default_warehouse" not in hooks
    for user in users.values():
        assert user["rsa_public_key"].startswith("MII")
        assert "password" not in user
        assert user["default_secondary_roles_option"] == "NONE"


def test_each_user_carries_its_own_network_policy(any_plan: Plan) -> None:
    """The user's own `network_policy`, never an attachment, and no option that hides drift on it."""
    policies = {p.inputs["name"]: p for p in any_plan.of_type(POLICY)}
    users = any_plan.of_type(USER)
    assert sorted(u.inputs["network_policy"] for u in users) == sorted(policies)  # one each, none shared
    for user in users:
        policy = policies[user.inputs["network_policy"]]
        assert policy.urn in user.dependencies
        assert policy.inputs["allowed_ip_lists"]
        assert user.ignore_changes == ()
        # Whoever sets NETWORK_POLICY on CREATE USER must own the policy: one role makes both.
        assert user.provider_role == policy.provider_role == "SECURITYADMIN"
    assert any_plan.of_type(ATTACHMENT) == []


def test_allowed_ips_come_from_config_normalized(planner) -> None:
    plan = planner("dev", {"serviceUsers.APP.allowedIps": ["203.0.113.7", "198.51.100.0/24"]})
    policy = plan.named(POLICY, "SOPHIA_AI_DEV_APP_NETWORK_POLICY")
    assert policy.inputs["allowed_ip_lists"] == ["203.0.113.7/32", "198.51.100.0/24"]


BAD_INPUTS = {
    "service user without a key": (
        {"servicePublicKeys": {"AIRBYTE": "MIIB" + "A" * 388, "HOOKS": "MIIB" + "A" * 388}},
        "servicePublicKeys has no RSA public key for service user(s) ['APP']",
    ),
    "allowed IP that is not an IP": (
        {"serviceUsers.APP.allowedIps": ["10.0.0.0/33"]},
        f"{NS}serviceUsers.APP.allowedIps.0: '10.0.0.0/33' is not an IPv4 address or CIDR range",
    ),
    "allowed IP that is a host name": (
        {"serviceUsers.AIRBYTE.allowedIps": ["airbyte.example.com"]},
        f"{NS}serviceUsers.AIRBYTE.allowedIps.0: 'airbyte.example.com' is not an IPv4 address",
    ),
    "no allowed IPs": (
        {"serviceUsers.APP.allowedIps": []},
        f"{NS}serviceUsers.APP.allowedIps: List should have at least 1",
    ),
    "invalid functional role": (
        {"serviceUsers.APP.functionalRole": "ACCOUNTADMIN"},
        f"{NS}serviceUsers.APP.functionalRole: Input should be 'APP', 'ETL', 'ADMIN' or 'HOOKS'",
    ),
    "invalid PII role": (
        {"piiAllowedRoles": ["SYSADMIN"]},
        f"{NS}piiAllowedRoles.0: Input should be 'APP', 'ETL', 'ADMIN' or 'HOOKS'",
    ),
    "PII shown to the receiver's role": (
        {"piiAllowedRoles": ["ADMIN", "HOOKS"]},
        f"{NS}piiAllowedRoles: piiAllowedRoles 'HOOKS' is not allowed (the webhook receiver's role reads "
        "no data); allowed: 'APP', 'ETL', 'ADMIN'",
    ),
    "receiver's user with another role": (
        {"serviceUsers.HOOKS.functionalRole": "APP"},
        "serviceUsers.HOOKS.functionalRole 'APP' is not allowed (the webhook receiver may run the gate "
        "tasks and nothing else); allowed: 'HOOKS'",
    ),
    "receiver's role for another user": (
        {"serviceUsers.APP.functionalRole": "HOOKS"},
        "serviceUsers.APP.functionalRole 'HOOKS' is not allowed (HOOKS is the role of the webhook "
        "receiver's user, HOOKS, alone); allowed: 'APP', 'ETL', 'ADMIN'",
    ),
    "airbyte without the receiver's user": (
        {"serviceUsers.HOOKS": DELETE},
        "airbyte is configured, so serviceUsers must declare HOOKS, the user the webhook receiver "
        "(sophia receiver serve) signs in as",
    ),
    "receiver's user without airbyte": (
        {"airbyte": DELETE, "airbyteSecrets": DELETE, "sources": ["GONG"]},
        "serviceUsers declares HOOKS, the webhook receiver's user, but airbyte is not configured",
    ),
    "invalid user name": (
        {"serviceUsers": {"bad-user": {"functionalRole": "APP", "allowedIps": ["192.0.2.1"]}}},
        f"{NS}serviceUsers.bad-user.[key]: must be an unquoted upper-case Snowflake identifier",
    ),
    "not an RSA key": (
        {"servicePublicKeys.APP": "ssh-rsa AAAAB3Nza"},
        f"{NS}servicePublicKeys.APP: must be the base64 body of an RSA public key",
    ),
}


def test_bad_governance_inputs_stop_before_any_resource() -> None:
    for case, (overrides, expected) in BAD_INPUTS.items():
        failure = failed_plan("dev", overrides)
        assert expected in str(failure.cause), f"{case}: {failure.cause}"
        assert declared_resources(failure) == [], case


def test_pem_formatted_public_key_is_accepted(planner) -> None:
    body = "MIIB" + "B" * 388
    pem = f"-----BEGIN PUBLIC KEY-----\n{body[:64]}\n{body[64:]}\n-----END PUBLIC KEY-----"
    plan = planner("dev", {"servicePublicKeys.APP": pem})
    assert plan.named(USER, "SOPHIA_AI_DEV_APP_SVC").inputs["rsa_public_key"] == body
