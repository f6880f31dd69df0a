"""Where a declared Snowflake object sits in an inventory, and which of its settings the account holds otherwise."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from models.import_ids import Inputs, short_type, unquoted
from models.inventory import Inventory, Key, Row, plain_name

ANY = "*"  # a key part that matches every value: SHOW GRANTS names an ACCOUNT grant by the account itself


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return _text(value)


def _size(value: Any) -> str:
    # SHOW WAREHOUSES says `X-Small`, the provider takes `XSMALL` (warehouse.py, warehouse_size).
    return _text(value).upper().replace("-", "").replace("_", "")


def _flag(value: Any) -> str:
    return "true" if _text(value).lower() in {"true", "on", "y", "yes"} else "false"


def _managed(value: Any) -> str:
    # SHOW SCHEMAS lists `MANAGED ACCESS` in its `options` column; the provider's input is "true"/"false".
    text = _text(value).upper()
    return "true" if "MANAGED ACCESS" in text or text == "TRUE" else "false"


def _started(value: Any) -> str:
    # SHOW TASKS/ALERTS `state` is `started` or `suspended`; the inputs are `started` / `enabled` booleans.
    return "started" if _text(value).lower() in {"true", "started", "resumed"} else "suspended"


def _schedule(value: Any) -> str:
    # SHOW TASKS `schedule` is `USING CRON <expr> <tz>` or `<n> MINUTE`; the task input is a block.
    if isinstance(value, Mapping):
        if value.get("usingCron"):
            return f"USING CRON {value['usingCron']}"
        return f"{int(float(value.get('minutes', 0)))} MINUTE"
    return _text(value)


@dataclass(frozen=True)
class Setting:
    """One SHOW column compared with one input, both normalised the same way."""

    column: str
    input: str
    normalise: Callable[[Any], str] = _text


@dataclass(frozen=True)
class Change:
    """A setting the account holds otherwise than the declaration."""

    setting: str
    existing: str
    declared: str


@dataclass(frozen=True)
class Located:
    """Where a declared object sits: its kind and every key that must exist for it to exist in full."""

    kind: str
    keys: tuple[Key, ...]
    settings: tuple[Setting, ...] = ()


_COMMENT = Setting("comment", "comment")
_SETTINGS: dict[str, tuple[str, tuple[Setting, ...]]] = {
    "warehouse:Warehouse": (
        "warehouses",
        (
            Setting("size", "warehouseSize", _size),
            Setting("auto_suspend", "autoSuspend", _number),
            Setting("auto_resume", "autoResume", _flag),
            Setting("min_cluster_count", "minClusterCount", _number),
            Setting("max_cluster_count", "maxClusterCount", _number),
            Setting("scaling_policy", "scalingPolicy"),
            _COMMENT,
        ),
    ),
    "resourceMonitor:ResourceMonitor": (
        "resource_monitors",
        (Setting("credit_quota", "creditQuota", _number), Setting("frequency", "frequency")),
    ),
    "database:Database": (
        "databases",
        (Setting("retention_time", "dataRetentionTimeInDays", _number), _COMMENT),
    ),
    "schema:Schema": (
        "schemas",
        (
            Setting("retention_time", "dataRetentionTimeInDays", _number),
            Setting("options", "withManagedAccess", _managed),
            _COMMENT,
        ),
    ),
    "accountRole:AccountRole": ("roles", (_COMMENT,)),
    "databaseRole:DatabaseRole": ("database_roles", (_COMMENT,)),
    "serviceUser:ServiceUser": (
        "users",
        (Setting("default_role", "defaultRole"), Setting("default_warehouse", "defaultWarehouse"), _COMMENT),
    ),
    "networkPolicy:NetworkPolicy": ("network_policies", (_COMMENT,)),
    "table:Table": ("tables", (Setting("change_tracking", "changeTracking", _flag), _COMMENT)),
    "view:View": ("views", (_COMMENT,)),
    "streamOnTable:StreamOnTable": ("streams", (_COMMENT,)),
    "task:Task": (
        "tasks",
        (
            Setting("warehouse", "warehouse"),
            Setting("schedule", "schedule", _schedule),
            Setting("state", "started", _started),
            _COMMENT,
        ),
    ),
    "tag:Tag": ("tags", (_COMMENT,)),
    "maskingPolicy:MaskingPolicy": ("masking_policies", (_COMMENT,)),
    "procedurePython:ProcedurePython": ("procedures", ()),
    "secretWithGenericString:SecretWithGenericString": ("secrets", (_COMMENT,)),
    "alert:Alert": (
        "alerts",
        (Setting("warehouse", "warehouse"), Setting("state", "enabled", _started), _COMMENT),
    ),
}


def _object_key(kind: str, inputs: Inputs) -> Key:
    return (inputs["schema"], inputs["name"]) if "schema" in inputs else (inputs["name"],)


def _grantee(inputs: Inputs) -> tuple[str, str]:
    if inputs.get("accountRoleName"):
        return "grants_to_roles", plain_name(inputs["accountRoleName"])
    return "grants_to_database_roles", plain_name(inputs["databaseRoleName"])


def _on(inputs: Inputs) -> tuple[str, str, str] | None:
    """(kind, granted_on, object name) of a privileges grant; None for an ON ALL grant, which SHOW cannot list."""
    kind, _ = _grantee(inputs)
    if inputs.get("onAccount"):
        return kind, "ACCOUNT", ANY
    if on := inputs.get("onAccountObject"):
        return kind, on["objectType"], on["objectName"]
    if on := inputs.get("onDatabase"):
        return kind, "DATABASE", on
    if (on := inputs.get("onSchema")) and on.get("schemaName"):
        return kind, "SCHEMA", on["schemaName"]
    on = inputs.get("onSchemaObject") or {}
    if on.get("objectName"):
        return kind, on["objectType"], on["objectName"]
    if (future := on.get("future")) and future.get("inSchema"):
        singular = future["objectTypePlural"].removesuffix("S").replace(" ", "_")
        return "future_grants", singular, f"{plain_name(future['inSchema'])}.<{singular}>"
    return None


def locate(resource_type: str, inputs: Inputs) -> Located | None:
    """Where the inventory would hold this object, or None for what no SHOW of the inventory lists."""
    short = short_type(resource_type)
    if short in _SETTINGS:
        kind, settings = _SETTINGS[short]
        return Located(kind, (_object_key(kind, inputs),), settings)
    if short == "tableConstraint:TableConstraint":
        parts = unquoted(inputs["tableId"])
        return Located("tables", ((parts[1], parts[2]),))
    if short == "grantAccountRole:GrantAccountRole":
        grantee = (
            ("ROLE", inputs["parentRoleName"])
            if inputs.get("parentRoleName")
            else ("USER", inputs["userName"])
        )
        return Located("grants_of_roles", ((inputs["roleName"], *grantee),))
    if short == "grantDatabaseRole:GrantDatabaseRole":
        if inputs.get("parentDatabaseRoleName"):
            grantee = ("grants_to_database_roles", inputs["parentDatabaseRoleName"])
        else:
            grantee = ("grants_to_roles", inputs["parentRoleName"])
        role = plain_name(inputs["databaseRoleName"])
        return Located(grantee[0], ((plain_name(grantee[1]), "DATABASE_ROLE", role, "USAGE"),))
    if short.startswith("grantPrivilegesTo") and (on := _on(inputs)):
        _, grantee = _grantee(inputs)
        keys = tuple(
            (grantee, on[1], plain_name(on[2]), privilege) for privilege in inputs.get("privileges", [])
        )
        return Located(on[0], keys)
    return None


def found(inventory: Inventory, located: Located) -> list[Row | None]:
    """The row for each key of `located`, None where the account lacks it."""
    if not any(ANY in key for key in located.keys):
        return [inventory.find(located.kind, key) for key in located.keys]
    rows = []
    for key in located.keys:
        wanted = [(i, plain_name(part)) for i, part in enumerate(key) if part != ANY]
        matches = (
            inventory.find(located.kind, existing)
            for existing in inventory.keys(located.kind)
            if all(existing[i] == part for i, part in wanted)
        )
        rows.append(next(matches, None))
    return rows


def changes(located: Located, inputs: Inputs, row: Row) -> list[Change]:
    """Each setting the row records that differs from the declaration; columns the row lacks are not compared."""
    differ = []
    for setting in located.settings:
        if setting.column not in row or (setting.input not in inputs and setting is not _COMMENT):
            continue  # not recorded, or left to the provider's default, which SHOW does not tell apart
        existing, declared = (
            setting.normalise(row[setting.column]),
            setting.normalise(inputs.get(setting.input)),
        )
        if existing != declared:
            differ.append(Change(setting.column, existing, declared))
    return differ
