"""Inventories for tests: one rendered from a plan as SHOW would list that estate, written the way the tool writes."""

import json
from pathlib import Path
from typing import Any

from models.inventory import account_fingerprint
from models.inventory_kinds import KINDS
from offline.engine import ProgramRun, Registration
from offline.export import provider_urn

OFFLINE_ACCOUNT = ("OFFLINE_ORG", "OFFLINE_ACCOUNT")  # offline/stack_files.py's stand-ins
# SHOW WAREHOUSES `size` spells sizes as Snowsight does (show-warehouses: "X-Small", "Small" ...).
SHOW_SIZES = {
    "XSMALL": "X-Small",
    "SMALL": "Small",
    "MEDIUM": "Medium",
    "LARGE": "Large",
    "XLARGE": "X-Large",
}
PREFIX = "snowflake:index/"


def empty_inventory(database: str, prefix: str, account: tuple[str, str] = OFFLINE_ACCOUNT) -> dict[str, Any]:
    """A version 1 inventory of an account that holds nothing in the namespace."""
    return {
        "format": "sophia-inventory",
        "version": 1,
        "takenAt": "2026-01-01T00:00:00+00:00",
        "accountFingerprint": account_fingerprint(*account),
        "database": database,
        "namePrefix": prefix,
        "snowflake": {kind.name: [] for kind in KINDS},
        "airbyte": None,
    }


def write(inventory: dict[str, Any], path: Path) -> Path:
    """Writes the inventory as `sophia inventory` does."""
    path.write_text(json.dumps(inventory, indent=2))
    return path


def inventory_from_plan(run: ProgramRun, database: str, prefix: str) -> dict[str, Any]:
    """Every object the plan declares, present with the settings it declares, as SHOW rows."""
    inventory = empty_inventory(database, prefix)
    rows = inventory["snowflake"]
    by_urn = run.by_urn()
    airbyte: dict[str, list[dict[str, Any]]] = {"sources": [], "destinations": [], "connections": []}
    for registration in run.registrations:
        owner = _owner(registration, by_urn)
        if registration.type.startswith(PREFIX):
            for kind, row in _rows(
                registration.type.removeprefix(PREFIX), registration.inputs, owner, database
            ):
                rows[kind].append(row)
        elif registration.type.startswith("pulumi-python:dynamic/airbyte:"):
            _airbyte(registration, airbyte)
    inventory["airbyte"] = {"workspaceId": "00000000-0000-4000-8000-000000000000", **airbyte}
    return inventory


def _owner(registration: Registration, by_urn: dict[str, Registration]) -> str:
    provider = by_urn.get(provider_urn(registration))
    return str(provider.inputs.get("role", "")) if provider else ""


def _unquote(name: str) -> str:
    return name.replace('"', "")


def _in_schema(inputs: dict[str, Any], owner: str, database: str) -> dict[str, Any]:
    return {
        "name": inputs["name"],
        "database_name": database,
        "schema_name": inputs["schema"],
        "owner": owner,
        "comment": inputs.get("comment", ""),
    }


def _rows(short: str, inputs: dict[str, Any], owner: str, database: str) -> list[tuple[str, dict[str, Any]]]:
    kind = short.split(":")[1]
    if kind == "Warehouse":
        return [("warehouses", {
            "name": inputs["name"], "size": SHOW_SIZES[inputs["warehouseSize"]],
            "auto_suspend": int(inputs["autoSuspend"]), "auto_resume": inputs["autoResume"],
            "min_cluster_count": int(inputs.get("minClusterCount", 1)),
            "max_cluster_count": int(inputs.get("maxClusterCount", 1)),
            "scaling_policy": inputs.get("scalingPolicy", "STANDARD"), "owner": owner,
            "comment": inputs.get("comment", ""), "state": "SUSPENDED",
        })]  # fmt: skip
    if kind == "ResourceMonitor":
        return [("resource_monitors", {
            "name": inputs["name"], "credit_quota": f"{inputs['creditQuota']:.2f}",
            "frequency": inputs["frequency"], "owner": owner, "comment": None,
        })]  # fmt: skip
    if kind == "Database":
        return [("databases", {
            "name": inputs["name"], "retention_time": str(int(inputs["dataRetentionTimeInDays"])),
            "comment": inputs["comment"], "owner": owner, "options": "",
        })]  # fmt: skip
    if kind == "Schema":
        return [("schemas", {
            "name": inputs["name"], "database_name": database, "owner": owner,
            "options": "MANAGED ACCESS" if inputs.get("withManagedAccess") == "true" else "",
            "retention_time": str(int(inputs["dataRetentionTimeInDays"])), "comment": inputs.get("comment", ""),
        })]  # fmt: skip
    if kind in {"AccountRole", "DatabaseRole", "NetworkPolicy"}:
        table = {
            "AccountRole": "roles",
            "DatabaseRole": "database_roles",
            "NetworkPolicy": "network_policies",
        }
        return [(table[kind], {"name": inputs["name"], "owner": owner, "comment": inputs.get("comment", "")})]
    if kind == "ServiceUser":
        return [("users", {
            "name": inputs["name"], "type": "SERVICE", "owner": owner, "comment": inputs.get("comment", ""),
            "default_role": inputs["defaultRole"], "default_warehouse": inputs.get("defaultWarehouse"),
            "has_password": "false", "has_rsa_public_key": "true",
        })]  # fmt: skip
    return _schema_rows(kind, inputs, owner, database) + _grant_rows(kind, inputs, database)


def _schema_rows(kind: str, inputs: dict[str, Any], owner: str, database: str) -> list[tuple[str, dict]]:
    if kind == "Table":
        columns = [
            (
                "columns",
                {
                    "table_name": inputs["name"],
                    "schema_name": inputs["schema"],
                    "column_name": column["name"],
                    "database_name": database,
                    "data_type": json.dumps({"type": column["type"]}),
                },
            )
            for column in inputs["columns"]
        ]
        change_tracking = "ON" if inputs.get("changeTracking") else "OFF"
        return [
            ("tables", {**_in_schema(inputs, owner, database), "change_tracking": change_tracking}),
            *columns,
        ]
    simple = {"View": "views", "StreamOnTable": "streams", "Tag": "tags", "MaskingPolicy": "masking_policies",
              "SecretWithGenericString": "secrets"}  # fmt: skip
    if kind in simple:
        return [(simple[kind], _in_schema(inputs, owner, database))]
    if kind == "Task":
        # SHOW TASKS leaves `schedule` empty for a task that runs after others (its `predecessors`).
        schedule = inputs.get("schedule")
        shown = (
            None
            if schedule is None
            else f"USING CRON {schedule['usingCron']}"
            if "usingCron" in schedule
            else f"{schedule['minutes']} MINUTE"
        )
        state = "started" if inputs.get("started") else "suspended"
        row = {**_in_schema(inputs, owner, database), "schedule": shown, "state": state}
        return [("tasks", {**row, "warehouse": inputs.get("warehouse")} if "warehouse" in inputs else row)]
    if kind == "Alert":
        state = "started" if inputs.get("enabled") else "suspended"
        return [
            (
                "alerts",
                {**_in_schema(inputs, owner, database), "warehouse": inputs["warehouse"], "state": state},
            )
        ]
    if kind == "ProcedurePython":
        types = ", ".join(argument["argDataType"] for argument in inputs["arguments"])
        return [("procedures", {
            "name": inputs["name"], "schema_name": inputs["schema"], "catalog_name": database,
            "arguments": f"{inputs['name']}({types}) RETURN {inputs['returnType']}",
        })]  # fmt: skip
    return []


def _grant_rows(kind: str, inputs: dict[str, Any], database: str) -> list[tuple[str, dict]]:
    if kind == "GrantAccountRole":
        grantee = (
            ("ROLE", inputs["parentRoleName"]) if "parentRoleName" in inputs else ("USER", inputs["userName"])
        )
        return [
            (
                "grants_of_roles",
                {"role": inputs["roleName"], "granted_to": grantee[0], "grantee_name": grantee[1]},
            )
        ]
    if kind == "GrantDatabaseRole":
        parent = inputs.get("parentRoleName") or inputs.get("parentDatabaseRoleName")
        table = "grants_to_roles" if "parentRoleName" in inputs else "grants_to_database_roles"
        return [(table, _grant("USAGE", "DATABASE_ROLE", inputs["databaseRoleName"], parent))]
    if not kind.startswith("GrantPrivilegesTo"):
        return []
    grantee = inputs.get("accountRoleName") or inputs["databaseRoleName"]
    table = "grants_to_roles" if "accountRoleName" in inputs else "grants_to_database_roles"
    on = _granted_on(inputs)
    if on is None:
        return []
    if on[0] == "future":
        return [("future_grants", {
            "privilege": p, "grant_on": on[1], "name": on[2], "grantee_name": _unquote(grantee),
            "grant_to": "DATABASE_ROLE" if table.endswith("database_roles") else "ROLE",
        }) for p in inputs["privileges"]]  # fmt: skip
    return [(table, _grant(privilege, on[1], on[2], grantee)) for privilege in inputs["privileges"]]


def _granted_on(inputs: dict[str, Any]) -> tuple[str, str, str] | None:
    if inputs.get("onAccount"):
        return ("now", "ACCOUNT", OFFLINE_ACCOUNT[1])
    if "onAccountObject" in inputs:
        return ("now", inputs["onAccountObject"]["objectType"], inputs["onAccountObject"]["objectName"])
    if "onDatabase" in inputs:
        return ("now", "DATABASE", inputs["onDatabase"])
    if "onSchema" in inputs:
        return ("now", "SCHEMA", inputs["onSchema"]["schemaName"])
    on = inputs["onSchemaObject"]
    if "objectName" in on:
        return ("now", on["objectType"], on["objectName"])
    if "future" in on:
        singular = on["future"]["objectTypePlural"].removesuffix("S")
        return ("future", singular, f"{_unquote(on['future']['inSchema'])}.<{singular}>")
    return None


def _grant(privilege: str, on: str, name: str, grantee: str) -> dict[str, Any]:
    return {
        "privilege": privilege, "granted_on": on, "name": _unquote(name), "granted_to": "ROLE",
        "grantee_name": _unquote(grantee), "grant_option": "false", "granted_by": "SECURITYADMIN",
    }  # fmt: skip


def _airbyte(registration: Registration, airbyte: dict[str, list[dict[str, Any]]]) -> None:
    kind = registration.type.rsplit(":", 1)[1]
    name = registration.inputs.get("name")
    if kind == "Source":
        airbyte["sources"].append({"sourceId": registration.id, "name": name, "sourceType": "gong"})
    elif kind == "Destination":
        airbyte["destinations"].append({"destinationId": registration.id, "name": name})
    elif kind == "Connection":
        configuration = json.loads(registration.inputs["configuration"])
        airbyte["connections"].append({"connectionId": registration.id, "name": name, **configuration})
