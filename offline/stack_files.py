"""Reads Pulumi.yaml and Pulumi.<stack>.yaml as the CLI would, with opaque stand-ins for secrets."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from offline.stand_ins import (
    ESC_STAND_INS,
    SECRET_STAND_IN,
    EscSecret,
    secret_stand_ins,
    source_notes,
    stand_in_secure,
)
from offline.yaml_files import load_yaml
from stack.airbyte.secrets import SECRETS_KEY


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
    # What the offline plan stood in for secrets it cannot read, and which checks it left to a real run.
    notes: tuple[str, ...] = ()


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
    config = stack_file.get("config") or {}
    stand_ins = secret_stand_ins(config, project)
    notes: list[str] = []
    if environments := stack_file.get("environment"):
        raw.update({_qualify(project, key): value for key, value in {**ESC_STAND_INS, **stand_ins}.items()})
        if not _given(config, project, SECRETS_KEY):
            notes += source_notes(config, project, f"the ESC environment {', '.join(map(str, environments))}")
    elif _is_one_secret(_given(config, project, SECRETS_KEY)):
        notes += source_notes(config, project, f"the secret {SECRETS_KEY}")
    for key, value in config.items():
        short = key.removeprefix(f"{project}:")
        raw[_qualify(project, key)] = stand_in_secure(short, value, stand_ins.get(short), notes)
    values, secret_keys = {}, set()
    for key, value in raw.items():
        plain, is_secret = strip_secure(value)
        values[key] = plain if isinstance(plain, str) else json.dumps(plain)
        if is_secret:
            secret_keys.add(key)
    program = project_dir / project_file.get("main", ".") / "__main__.py"
    return StackFiles(project, stack, program, values, secret_keys, tuple(notes))


def _given(config: dict[str, Any], project: str, key: str) -> Any:
    return config.get(f"{project}:{key}", config.get(key))


def _is_one_secret(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


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
