"""What a real account needs beyond a clean plan: alert and Cortex privileges, consumed streams, safe replaces."""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from offline.policy_check import check, load_export
from tests.harness import Plan

ALERT = "snowflake:index/alert:Alert"
EXECUTE = "snowflake:index/execute:Execute"
GRANT_DATABASE_ROLE = "snowflake:index/grantDatabaseRole:GrantDatabaseRole"
STREAM = "snowflake:index/streamOnTable:StreamOnTable"
TASK = "snowflake:index/task:Task"


def _grants_of(plan: Plan, database_role: str) -> list[Any]:
    return [g for g in plan.of_type(GRANT_DATABASE_ROLE) if g.inputs["database_role_name"] == database_role]


def _violations(resources: list[dict[str, Any]], rule: str) -> list[str]:
    return [v.message for v in check(resources, {}) if v.rule == rule]


@pytest.fixture
def dev_resources(dev_export: Path) -> list[dict[str, Any]]:
    """The dev export's resources, a fresh copy per test."""
    return copy.deepcopy(load_export(dev_export))


def test_the_alerts_owner_holds_alert_viewer_and_every_alert_waits_for_it(any_plan: Plan) -> None:
    alerts = any_plan.of_type(ALERT)
    assert alerts and all(
        re.search(r"SNOWFLAKE\.ALERT\.", a.inputs["condition"] + a.inputs["action"]) for a in alerts
    )
    [grant] = _grants_of(any_plan, '"SNOWFLAKE"."ALERT_VIEWER"')
    owners = {alert.provider_role for alert in alerts}
    assert owners == {grant.inputs["parent_role_name"]}
    assert grant.provider_role == "SECURITYADMIN"
    assert all(grant.urn in alert.dependencies for alert in alerts)


def test_the_embedding_tasks_owner_holds_cortex_user_itself(any_plan: Plan) -> None:
    # CORTEX_USER reaches every role through PUBLIC by default; accounts that revoke that keep the tasks working.
    embedding = [t for t in any_plan.of_type(TASK) if "SNOWFLAKE.CORTEX." in t.inputs["sql_statement"]]
    [grant] = _grants_of(any_plan, '"SNOWFLAKE"."CORTEX_USER"')
    assert len(embedding) == 8
    assert {task.provider_role for task in embedding} == {grant.inputs["parent_role_name"]}
    assert grant.inputs["parent_role_name"] != "PUBLIC" and grant.provider_role == "SECURITYADMIN"
    assert all(grant.urn in task.dependencies for task in embedding)


def test_every_stream_has_a_started_task_that_reads_it(any_plan: Plan) -> None:
    streams = any_plan.of_type(STREAM)
    started = [t for t in any_plan.of_type(TASK) if t.inputs["started"] is True]
    assert len(streams) == 8
    for stream in streams:
        reference = f"{stream.inputs['schema']}.{stream.inputs['name']}"
        assert any(reference in task.inputs["when"] for task in started if task.inputs.get("when")), reference


def test_the_policy_pack_stops_a_stream_whose_task_is_suspended(dev_resources: list[dict[str, Any]]) -> None:
    assert _violations(dev_resources, "streams-have-started-consumer") == []
    for resource in dev_resources:
        if resource["type"] == TASK and resource["inputs"]["schema"] == "FOUNDATIONAL_KNOWLEDGE":
            resource["inputs"]["started"] = False
    found = _violations(dev_resources, "streams-have-started-consumer")
    assert len(found) == 8 and all("has no started task that reads it" in message for message in found)


def test_the_policy_pack_stops_alerts_whose_owner_lacks_alert_viewer(
    dev_resources: list[dict[str, Any]],
) -> None:
    rule = "alerts-calling-alert-functions-hold-alert-viewer"
    assert _violations(dev_resources, rule) == []
    without = [r for r in dev_resources if not r["urn"].endswith("::sophia-quality-alert-viewer")]
    assert len(without) == len(dev_resources) - 1
    calling = [
        r for r in dev_resources
        if r["type"].endswith("alert:Alert") and "SNOWFLAKE.ALERT." in json.dumps(r["inputs"]).upper()
    ]  # fmt: skip
    assert len(calling) == 5  # the gate's three and the two credential alerts
    assert len(_violations(without, rule)) == len(calling)


def test_every_execute_that_reverts_itself_is_replaced_delete_before_create(any_plan: Plan) -> None:
    executes = any_plan.of_type(EXECUTE)
    self_undoing = [e for e in executes if not e.inputs["revert"].lstrip().upper().startswith("SELECT")]
    # The four monitor assignments (UNSET RESOURCE_MONITOR), the alert integration (DROP INTEGRATION), the
    # event table and its setting on the database, and each row access attachment (DROP ROW ACCESS POLICY).
    assert len(self_undoing) == 9
    assert all(execute.delete_before_replace for execute in self_undoing)


def test_the_export_records_delete_before_replace_and_the_pack_enforces_it(
    dev_resources: list[dict[str, Any]],
) -> None:
    rule = "self-undoing-execute-deletes-before-replace"
    assignments = [r for r in dev_resources if r["urn"].endswith("-monitor-assignment")]
    assert len(assignments) == 4 and all(r["deleteBeforeReplace"] is True for r in assignments)
    assert _violations(dev_resources, rule) == []
    assignments[0]["deleteBeforeReplace"] = False
    [message] = _violations(dev_resources, rule)
    assert "UNSET RESOURCE_MONITOR" in message


SEARCH_SERVICE_TYPE = "snowflake:index/cortexSearchService:CortexSearchService"


def _grantee(grant: Any) -> str:
    return grant.inputs.get("account_role_name") or grant.inputs["database_role_name"]


GRANT_TYPES = (
    "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole",
    "snowflake:index/grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole",
)


def test_no_grant_on_a_named_object_can_read_back_empty(any_plan: Plan) -> None:
    # pulumi/pulumi-snowflake#1088: a grant on one named schema object (on_schema_object.object_name) is read
    # back with SHOW GRANTS ON <type> <name>, and the provider keeps only rows with a non-empty granted_by
    # whose granted_on is the declared type (terraform-provider-snowflake grant_privileges_to_account_role.go,
    # computePrivileges). A privilege that reached the object through a future grant is listed with an empty
    # granted_by, so a named grant that a future grant also covers reads back `privileges: []` on every
    # refresh. The stack's named grants are on a tag and on the gate tasks; its future grants cover only
    # tables and views. This test holds both, and docs/operations.md says why each is safe.
    grants = [g for kind in GRANT_TYPES for g in any_plan.of_type(kind)]
    named = [g for g in grants if "object_name" in (g.inputs.get("on_schema_object") or {})]
    future = [
        g.inputs["on_schema_object"]["future"]
        for g in grants
        if "future" in (g.inputs.get("on_schema_object") or {})
    ]
    kinds = {g.inputs["on_schema_object"]["object_type"] for g in named}
    assert kinds == {"TAG", "TASK", "VIEW"} | (
        {"CORTEX SEARCH SERVICE"} if any_plan.of_type(SEARCH_SERVICE_TYPE) else set()
    )
    assert {f["object_type_plural"] for f in future} == {"TABLES", "VIEWS"}
    future_grantees = {_grantee(g) for g in grants if "future" in (g.inputs.get("on_schema_object") or {})}
    for grant in named:
        on = grant.inputs["on_schema_object"]
        # Fully qualified and quoted, the form the provider parses and reads back unchanged (#717, #328).
        assert re.fullmatch(r'"[A-Z0-9_]+"\."[A-Z0-9_]+"\."[A-Z0-9_]+"', on["object_name"]), on
        # A privilege read back empty is one the same grantee also holds through a future grant: the named
        # grants (the auditor's audit views among them) go to account roles no future grant reaches.
        assert f"{on['object_type']}S" not in {f["object_type_plural"] for f in future} or (
            _grantee(grant) not in future_grantees
        )
