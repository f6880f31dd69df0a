"""Each rule's settings derived from the stack file, so `policies/config/<stack>.json` holds only what differs."""

import json
from pathlib import Path
from typing import Any

from models.enums import Environment, FunctionalRole
from models.naming import Naming
from offline.stack_files import load_stack_files
from stack.config import StackConfig
from stack.loader import load_stack_config

PolicySettings = dict[str, dict[str, Any]]

# What a stack that is not prod may do: the program protects stateful resources in prod only
# (StackConfig.protect_stateful), and a dev or staging stack keeps one day of Time Travel and small,
# quickly suspended warehouses. Prod runs on the rule defaults, the strict ones, and its config file.
NOT_PROD: PolicySettings = {
    "stateful-resources-protected": {"enforcementLevel": "disabled"},
    "retention-at-least-minimum": {"criticalRetentionDays": 1},
    "warehouse-auto-suspend-limit": {"maxAutoSuspendSeconds": 60},
    "warehouse-size-within-limit": {"maxWarehouseSize": "SMALL"},
}


def derived_policy_config(config: StackConfig) -> PolicySettings:
    """Role names from the name prefix, network ranges from the service users, thresholds by environment."""
    naming = Naming(config.name_prefix, config.database.name)
    app, etl = naming.functional_role(FunctionalRole.APP), naming.functional_role(FunctionalRole.ETL)
    derived: PolicySettings = {
        "grants-only-to-allowed-roles": {"allowedRoles": [f"{config.name_prefix}_*"]},
        "app-role-read-only": {"appRole": app},
        "search-service-app-role-only": {"appRole": app},
        "audit-views-not-readable-by-app": {"appRole": app},
        "etl-role-writes-only-raw": {"etlRole": etl},
        "airbyte-destination-key-pair-etl-role": {"etlRole": etl},
        "no-unmasked-pii-to-app": {
            "appRole": app,
            "piiAllowedRoles": [naming.functional_role(role) for role in config.pii_allowed_roles],
        },
        "grants-implied-by-access-matrix": {"namePrefix": config.name_prefix},
        "network-policies-within-configured-ranges": {
            "allowedIpRanges": {
                naming.network_policy(user): [str(ip) for ip in spec.allowed_ips]
                for user, spec in config.service_users.items()
            }
        },
    }
    return merge(derived, NOT_PROD) if config.environment is not Environment.PROD else derived


def merge(base: PolicySettings, over: PolicySettings) -> PolicySettings:
    """`over` on top of `base`, setting by setting within each rule."""
    merged = {rule: dict(settings) for rule, settings in base.items()}
    for rule, settings in over.items():
        merged.setdefault(rule, {}).update(settings)
    return merged


def stack_policy_config(project_dir: Path, stack: str) -> PolicySettings:
    """The derived settings of a stack, from its stack file (StackFileError or ConfigError when it is bad)."""
    files = load_stack_files(project_dir, stack)
    return derived_policy_config(load_stack_config(files.project, files.values, files.secret_keys))


def write_policy_config(settings: PolicySettings, path: Path) -> None:
    """The file `pulumi preview --policy-pack-config` takes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n")
