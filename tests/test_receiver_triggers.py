"""The webhook receiver in the stack: its service user, a role that only starts gate tasks, the triggers."""

import json
from pathlib import Path
from uuid import UUID

import pulumi
import pulumi_snowflake as snowflake
import pytest

from components.context import PlatformContext
from components.receiver import ReceiverTriggers, ReceiverTriggersArgs
from models.naming import Naming
from offline.engine import EchoMocks, ProgramRun
from offline.export import to_deployment
from offline.policy_check import check, load_policy_config
from policies.sophia_policies.access_graph import build_access_graph
from sophia.receiver.triggers import load_triggers
from stack.sdk_internals import reset_root_stack
from tests.access_graph import effective_warehouses
from tests.harness import PROJECT_DIR, Plan, run_stack
from tests.planned import planned_resources

USER = "snowflake:index/serviceUser:ServiceUser"
POLICY = "snowflake:index/networkPolicy:NetworkPolicy"
ROLE = "snowflake:index/accountRole:AccountRole"
TASK = "snowflake:index/task:Task"
CONNECTION = "pulumi-python:dynamic/airbyte:Connection"
GRANT_PRIVILEGES = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
STACKS = {"dev": ("SOPHIA_AI_DEV", "SOPHIA_AI_DEV"), "prod": ("SOPHIA_AI", "SOPHIA_AI_PROD")}
SOURCES = {"dev": ["GONG", "HUBSPOT", "SLACK"], "prod": ["GONG", "HUBSPOT", "NOTION", "SALESFORCE", "SLACK"]}


def _naming(stack: str) -> Naming:
    prefix, database = STACKS[stack]
    return Naming(prefix=prefix, database=database)


def _hooks_role(stack: str) -> str:
    return f"{STACKS[stack][0]}_HOOKS_ROLE"


def _grants_to(plan: Plan, role: str) -> dict[tuple[str, str, str], object]:
    """Every grant of anything to `role`, as (privilege or role, object type, object name)."""
    grants = {}
    for resource in plan.resources:
        inputs = resource.inputs
        if not resource.type.startswith("snowflake:index/grant"):
            continue
        if role not in (inputs.get("account_role_name"), inputs.get("parent_role_name")):
            continue
        if resource.type != GRANT_PRIVILEGES:
            granted = inputs.get("role_name") or inputs.get("database_role_name")
            grants[(granted, "ROLE", role)] = resource
            continue
        on = inputs.get("on_account_object") or inputs.get("on_schema_object") or {}
        if inputs.get("on_schema"):
            on = {"object_type": "SCHEMA", "object_name": inputs["on_schema"]["schema_name"]}
        if inputs.get("on_account"):
            on = {"object_type": "ACCOUNT", "object_name": ""}
        for privilege in inputs.get("privileges") or ["ALL"]:
            grants[(privilege, on.get("object_type", "?"), on.get("object_name", "?"))] = resource
    return grants


def _expected_grants(naming: Naming, tasks: list[str]) -> set[tuple[str, str, str]]:
    """What EXECUTE TASK needs on each of `tasks` (names in SOPHIA_OPS), and nothing more."""
    if not tasks:
        return set()
    return {
        ("USAGE", "DATABASE", naming.database),
        ("USAGE", "SCHEMA", naming.in_database("SOPHIA_OPS")),
        *{("OPERATE", "TASK", naming.in_database("SOPHIA_OPS", task)) for task in tasks},
    }


def _gate_tasks(plan: Plan) -> list[str]:
    """The quality-gate tasks the plan declares, by name."""
    return sorted(
        task.inputs["name"]
        for task in plan.of_type(TASK)
        if task.inputs["name"].startswith("QUALITY_GATE_") and task.inputs["schema"] == "SOPHIA_OPS"
    )


@pytest.fixture(scope="module", params=["dev", "prod"])
def gated(request: pytest.FixtureRequest) -> tuple[str, ProgramRun, Plan]:
    """Each shipped stack, its run kept: the gate's tasks reach the receiver's grants and the triggers."""
    run = run_stack(request.param)
    return request.param, run, Plan(planned_resources(run), run.stack_outputs)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_receiver_signs_in_as_a_key_pair_service_user_under_its_own_policy(
    stack: str, dev_plan: Plan, prod_plan: Plan
) -> None:
    plan = {"dev": dev_plan, "prod": prod_plan}[stack]
    prefix = STACKS[stack][0]
    user = plan.named(USER, f"{prefix}_HOOKS_SVC")
    policy = plan.named(POLICY, f"{prefix}_HOOKS_NETWORK_POLICY")
    assert user.inputs["rsa_public_key"].startswith("MII") and "password" not in user.inputs
    assert user.inputs["network_policy"] == policy.inputs["name"] and policy.urn in user.dependencies
    assert policy.inputs["allowed_ip_lists"] == ["203.0.113.64/26"]
    assert user.inputs["default_role"] == _hooks_role(stack)
    assert "default_warehouse" not in user.inputs  # a triggered run uses the task's own warehouse
    assert user.inputs["default_secondary_roles_option"] == "NONE"
    graph = build_access_graph((r.type, r.raw_inputs) for r in plan.resources)
    assert graph.user_roles[f"{prefix}_HOOKS_SVC"] == {_hooks_role(stack)}
    assert not [
        u for u, roles in graph.user_roles.items() if _hooks_role(stack) in roles and "HOOKS" not in u
    ]


def test_the_receiver_role_is_made_by_useradmin_and_rolls_up_to_sysadmin(any_plan: Plan) -> None:
    (role,) = [r for r in any_plan.of_type(ROLE) if r.inputs["name"].endswith("_HOOKS_ROLE")]
    assert role.provider_role == "USERADMIN"
    graph = build_access_graph((r.type, r.raw_inputs) for r in any_plan.resources)
    assert graph.role_parents[role.inputs["name"]] == {"SYSADMIN"}


def test_the_role_holds_exactly_usage_and_operate_on_the_declared_gate_tasks(gated) -> None:
    stack, _, plan = gated
    naming = _naming(stack)
    tasks = [naming.quality_gate_task(source) for source in SOURCES[stack]]
    assert sorted(_gate_tasks(plan)) == sorted(tasks)  # one gate task per source, as the plan declares
    assert set(plan.stack_outputs["promotion_triggers"].values()) == {
        naming.in_database_unquoted("SOPHIA_OPS", task) for task in tasks
    }

    grants = _grants_to(plan, _hooks_role(stack))

    assert set(grants) == _expected_grants(naming, tasks)
    assert len(grants) == len(tasks) + 2
    graph = build_access_graph((r.type, r.raw_inputs) for r in plan.resources)
    role = _hooks_role(stack)
    assert graph.effective_schema_privileges(role) == {f"{naming.database}.SOPHIA_OPS": {"USAGE", "OPERATE"}}
    assert effective_warehouses(graph, role) == set()
    assert graph.roles_of(role) == {role}  # no access role, no other role


def test_each_grant_is_made_by_securityadmin_after_what_it_is_on(gated) -> None:
    stack, _, plan = gated
    naming = _naming(stack)
    tasks = {
        t.inputs["name"]: t.urn for t in plan.of_type(TASK) if t.inputs["name"].startswith("QUALITY_GATE_")
    }
    schema = next(
        s for s in plan.of_type("snowflake:index/schema:Schema") if s.inputs["name"] == "SOPHIA_OPS"
    )
    (database,) = plan.of_type("snowflake:index/database:Database")
    (role,) = [r for r in plan.of_type(ROLE) if r.inputs["name"] == _hooks_role(stack)]
    for (_, kind, name), grant in _grants_to(plan, _hooks_role(stack)).items():
        assert grant.provider_role == "SECURITYADMIN"
        assert role.urn in grant.dependencies
        waits_for = {
            "DATABASE": database.urn,
            "SCHEMA": schema.urn,
            "TASK": tasks.get(name.rpartition(".")[2].strip('"')),
        }[kind]
        assert waits_for in grant.dependencies, grant.name
    assert len(tasks) == len(SOURCES[stack]) and naming.quality_gate_task("GONG") in tasks


def test_promotion_triggers_round_trip_through_the_receivers_loader(gated, tmp_path: Path) -> None:
    stack, run, plan = gated
    naming = _naming(stack)
    connection_ids = {
        registration.inputs["name"]: registration.id
        for registration in run.registrations
        if registration.type == CONNECTION
    }
    triggers_file = tmp_path / "triggers.json"
    triggers_file.write_text(json.dumps(plan.stack_outputs))  # what `pulumi stack output --json` prints

    triggers = load_triggers(triggers_file)

    # The mock engine's stand-in for what Airbyte returns on create: a UUID nobody takes for a real one.
    assert all(str(connection).startswith("00000000-0000-0000-0000-") for connection in triggers)
    assert triggers == {
        UUID(connection_ids[naming.airbyte_connection(source)]): naming.in_database_unquoted(
            "SOPHIA_OPS", naming.quality_gate_task(source)
        )
        for source in SOURCES[stack]
    }


def test_the_policy_pack_passes_with_the_gate_tasks_wired(gated) -> None:
    stack, run, _ = gated
    violations = check(to_deployment(run)["deployment"]["resources"], load_policy_config(PROJECT_DIR, stack))
    assert violations == []


def test_a_gate_task_without_a_connection_is_a_programming_error() -> None:
    reset_root_stack()
    pulumi.runtime.set_mocks(EchoMocks(), preview=False)
    try:
        naming = Naming(prefix="P", database="DB")
        task = snowflake.Task(
            "t",
            database="DB",
            schema="SOPHIA_OPS",
            name="QUALITY_GATE_GONG_TASK",
            started=False,
            sql_statement="SELECT 1",
        )
        args = ReceiverTriggersArgs(
            role=snowflake.AccountRole("role", name="P_HOOKS_ROLE"),
            database=snowflake.Database("db", name="DB"),
            gate_tasks={"GONG": task},
            connections={},
        )
        # Refused before it declares anything, so before it asks the context for a provider or a schema.
        context = PlatformContext(naming, providers=None, protect=False)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"gate tasks of sources \['GONG'\] have no Airbyte connection"):
            ReceiverTriggers("promotion", context, args, pulumi.ResourceOptions())
    finally:
        reset_root_stack()
