"""Reads Pulumi.yaml and Pulumi.<stack>.yaml as the CLI would, with opaque stand-ins for secrets."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from offline.yaml_files import load_yaml
from stack.airbyte.secrets import SECRETS_KEY, SETTINGS_KEY
from stack.airbyte.source_types import SOURCE_SPECS, SourceType
from stack.quality_gate import SECRETS_KEY as GATE_SECRETS_KEY
from stack.quality_gate import SETTINGS_KEY as GATE_SETTINGS_KEY


class EscSecret(NamedTuple):
    """A stand-in for a secret that ESC would supply: usable as a value, marked secret like `secure:`."""

    value: Any


# What a stack's Pulumi ESC environment supplies on a real run; the offline plan has no ESC, so these
# obviously fake values stand in. The account identity is wrapped as secret by the program itself.
ESC_STAND_INS: dict[str, Any] = {
    "snowflakeAccount": {
        "organizationName": "OFFLINE_ORG",
        "accountName": "OFFLINE_ACCOUNT",
        "user": "OFFLINE_DEPLOYER",
        "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
    },
    "snowflakeToken": {"secure": "offline-stand-in"},
    # Public keys are not secret, but they belong to the account, not to the repository.
    "servicePublicKeys": {user: "MIIB" + "A" * 388 for user in ("AIRBYTE", "APP", "HOOKS")},
}
SECRET_STAND_IN = "[secret: offline stand-in]"
# The alert webhook's credential ESC would supply, by the kind the stack file names: fake, well-formed.
GATE_SECRET_STAND_INS = {
    "slack": {"webhookUrl": "https://hooks.slack.com/services/OFFLINE/STAND/IN"},
    "teams": {"webhookUrl": "https://offline.stand-in.logic.azure.com/workflows/offline-stand-in"},
    "pagerduty": {"routingKey": "offline-stand-in"},
}


class StackFileError(Exception):
    """A project or stack file that is missing or not readable."""


@dataclass(frozen=True)
class StackFiles:
    """The config the engine would hand the program: namespaced values, and which are secrets."""

    project: str
    stack: str
    program: Path
    values: dict[str, str]
    secret_keys: set[str]


def available_stacks(project_dir: Path) -> list[str]:
    """Every stack with a Pulumi.<stack>.yaml beside the project."""
    return sorted(
        path.name.removeprefix("Pulumi.").removesuffix(".yaml") for path in project_dir.glob("Pulumi.*.yaml")
    )


def load_stack_files(project_dir: Path, stack: str) -> StackFiles:
    """Merges project defaults, ESC stand-ins and the stack file into flat, namespaced config."""
    project_file = _read_yaml(project_dir / "Pulumi.yaml")
    stack_path = project_dir / f"Pulumi.{stack}.yaml"
    if not stack_path.is_file():
        raise StackFileError(
            f"no stack file {stack_path.name}; stacks here: {', '.join(available_stacks(project_dir))}"
        )
    stack_file = _read_yaml(stack_path)
    project = project_file["name"]
    raw: dict[str, Any] = {
        _qualify(project, key): spec["default"]
        for key, spec in (project_file.get("config") or {}).items()
        if isinstance(spec, dict) and "default" in spec
    }
    if stack_file.get("environment"):
        config = stack_file.get("config") or {}
        stand_ins = {
            **ESC_STAND_INS,
            **_airbyte_stand_ins(config, project),
            **_gate_stand_ins(config, project),
        }
        raw.update({_qualify(project, key): value for key, value in stand_ins.items()})
    raw.update({_qualify(project, key): value for key, value in (stack_file.get("config") or {}).items()})
    values, secret_keys = {}, set()
    for key, value in raw.items():
        plain, is_secret = strip_secure(value)
        values[key] = plain if isinstance(plain, str) else json.dumps(plain)
        if is_secret:
            secret_keys.add(key)
    program = project_dir / project_file.get("main", ".") / "__main__.py"
    return StackFiles(project, stack, program, values, secret_keys)


def _airbyte_stand_ins(config: dict[str, Any], project: str) -> dict[str, Any]:
    """Fake Airbyte credentials for exactly the sources the stack file configures."""
    settings = config.get(_qualify(project, SETTINGS_KEY)) or config.get(SETTINGS_KEY)
    if not isinstance(settings, dict):
        return {}
    sources = {
        name: {
            "credentials": {
                field: "offline-stand-in"
                for field in SOURCE_SPECS[SourceType(spec["sourceType"])].credential_fields
            }
        }
        for name, spec in (settings.get("sources") or {}).items()
        if isinstance(spec, dict) and spec.get("sourceType") in set(SourceType)
    }
    return {
        SECRETS_KEY: EscSecret(
            {
                "apiCredentials": {"bearerToken": "offline-stand-in"},
                "notifications": {
                    "success": {"webhookUrl": "https://webhook.invalid/offline-stand-in/success"},
                    "failure": {"webhookUrl": "https://webhook.invalid/offline-stand-in/failure"},
                },
                "destination": {"privateKey": "offline-stand-in"},
                "sources": sources,
            }
        )
    }


def _gate_stand_ins(config: dict[str, Any], project: str) -> dict[str, Any]:
    """A fake credential for the alert webhook the stack file's qualityGate names, if any."""
    settings = config.get(_qualify(project, GATE_SETTINGS_KEY)) or config.get(GATE_SETTINGS_KEY)
    notify = ((settings or {}).get("alerts") or {}).get("notify") if isinstance(settings, dict) else None
    kind = notify.get("kind") if isinstance(notify, dict) else None
    stand_in = GATE_SECRET_STAND_INS.get(kind) if isinstance(kind, str) else None
    return {GATE_SECRETS_KEY: EscSecret(stand_in)} if stand_in else {}


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        content = load_yaml(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise StackFileError(f"cannot read {path.name}: {error}") from None
    if not isinstance(content, dict):
        raise StackFileError(f"{path.name} must be a YAML mapping")
    return content


def _qualify(project: str, key: str) -> str:
    """Unqualified keys belong to the project's namespace, as in the Pulumi CLI."""
    return key if ":" in key else f"{project}:{key}"


def strip_secure(value: Any) -> tuple[Any, bool]:
    """Replaces every `secure:` ciphertext with a stand-in; the whole key is then a secret."""
    if isinstance(value, EscSecret):
        return value.value, True
    if isinstance(value, dict) and set(value) == {"secure"}:
        return SECRET_STAND_IN, True
    if isinstance(value, dict):
        pairs = {k: strip_secure(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [strip_secure(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    if isinstance(value, bool):
        return str(value).lower(), False
    return value, False
