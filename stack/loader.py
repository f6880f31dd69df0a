"""Reads the project's config namespace into a StackConfig, or fails with one clear message."""

import difflib
import json
import types
import typing
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pulumi
from pydantic import BaseModel, SecretStr, ValidationError

from models.identifiers import COMMENT_PATTERN, IDENTIFIER_PATTERN
from models.validation import problem_line, problem_message
from stack.airbyte.config import AIRBYTE_SECRET_FIELDS, CONFIG_KEY, SECRET_PATHS
from stack.airbyte.secrets import SECRETS_KEY, SETTINGS_KEY, merge_airbyte_secrets
from stack.config import StackConfig
from stack.quality_gate import SECRETS_KEY as GATE_SECRETS_KEY
from stack.sdk_internals import config_secret_keys, program_config

PATTERN_MEANINGS = {
    IDENTIFIER_PATTERN: "must be an unquoted upper-case Snowflake identifier "
    "(A-Z, 0-9, _ and $, not starting with a digit, at most 255 characters)",
    COMMENT_PATTERN: "may only hold letters, digits, spaces and _ . , : ( ) / % + - (at most 256)",
}


class ConfigError(pulumi.RunError):
    """A stack config that cannot be deployed; the message lists every bad key."""


def secret_keys_of(model: type[BaseModel]) -> set[str]:
    """The config keys that must hold Pulumi secrets, by their camelCase name."""
    return {
        field.alias or name
        for name, field in model.model_fields.items()
        if SecretStr in typing.get_args(field.annotation) or field.annotation is SecretStr
    }


def read_pulumi_config() -> tuple[dict[str, Any], set[str]]:
    """Every config value the engine handed the program, and which of them are secrets."""
    values = program_config()
    return values, config_secret_keys(values)


def load_stack_config(project: str, values: Mapping[str, Any], secret_keys: set[str]) -> StackConfig:
    """Validates every `<project>:<key>` value; other namespaces belong to providers and are ignored."""
    # A plan reads one config three times (the command, the program, the policy defaults); the model is
    # frozen and validation depends on these inputs alone, so a process validates each config once.
    try:
        return _validated(project, tuple(sorted(values.items())), frozenset(secret_keys))
    except TypeError:  # a value that cannot be a cache key (not from a stack file): validated every time
        return _validate(project, values, secret_keys)


@lru_cache(maxsize=8)
def _validated(project: str, items: tuple[tuple[str, Any], ...], secret_keys: frozenset[str]) -> StackConfig:
    return _validate(project, dict(items), set(secret_keys))


def _validate(project: str, values: Mapping[str, Any], secret_keys: set[str]) -> StackConfig:
    prefix = f"{project}:"
    _refuse_misspelt_namespaces(project, values)
    raw = {
        key.removeprefix(prefix): decode_json_text(value)
        for key, value in values.items()
        if key.startswith(prefix)
    }
    secret = {key.removeprefix(prefix) for key in secret_keys if key.startswith(prefix)}
    given_in_clear = sorted(
        key
        for key in secret_keys_of(StackConfig) | {SECRETS_KEY, GATE_SECRETS_KEY}
        if key in raw and key not in secret
    )
    if given_in_clear:
        raise ConfigError(
            "\n".join(
                f"{prefix}{key}: must be a secret, but was given in clear; "
                f"set it with `pulumi config set --secret {key}` or from Pulumi ESC"
                for key in given_in_clear
            )
        )
    raw, secret_paths = merge_airbyte_secrets(raw, secret)
    context = {SECRET_PATHS: secret_paths, CONFIG_KEY: SETTINGS_KEY}
    try:
        return StackConfig.model_validate(raw, context=context)
    except ValidationError as error:
        raise ConfigError(_describe(error, prefix, secret)) from None


def _refuse_misspelt_namespaces(project: str, values: Mapping[str, Any]) -> None:
    """A key in a namespace that is nearly the project's is a typo the program would otherwise never read."""
    misspelt = sorted(
        key
        for key in values
        if ":" in key
        and (namespace := key.split(":", 1)[0]) != project
        and difflib.get_close_matches(namespace, [project], n=1, cutoff=0.8)
    )
    if misspelt:
        raise ConfigError(
            "\n".join(
                f"{key}: unknown namespace {key.split(':', 1)[0]!r}, which nothing reads; "
                f"the program's keys are {project}:{key.split(':', 1)[1]} and the like"
                for key in misspelt
            )
        )


def decode_json_text(value: Any) -> Any:
    """Pulumi hands structured config (and provider configuration) over as JSON text; the rest stays as is."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _describe(error: ValidationError, prefix: str, given_secret: set[str]) -> str:
    """One line per problem: the key as the user writes it, what is wrong, what was given and what is allowed."""
    # The Airbyte section holds credentials wherever they were typed, and any key given as a secret is one:
    # never echo them. Nor a key nothing declares: it may be a secret's misspelt name.
    secret = secret_keys_of(StackConfig) | {SETTINGS_KEY, GATE_SECRETS_KEY} | given_secret
    lines = []
    for problem in error.errors(include_url=False):
        walked = problem["loc"]
        location = problem["loc"] = _as_written(walked)
        message = problem_message(problem)
        if problem["type"] == "extra_forbidden":
            allowed = _allowed_keys(StackConfig, walked[:-1]) + ([] if walked[:-1] else [SECRETS_KEY])
            close = difflib.get_close_matches(str(walked[-1]), allowed, n=1)
            meant = f"did you mean {close[0]}? " if close else ""
            message = f"unknown key; {meant}allowed keys here: {', '.join(sorted(allowed))}"
        elif problem["type"] == "string_pattern_mismatch":
            message = PATTERN_MEANINGS.get(problem["ctx"]["pattern"], message)
        elif problem["type"] == "missing":
            message = "is required but not set"
        hidden = (
            not location
            or location[0] in secret | {SECRETS_KEY}
            or problem["type"] in {"missing", "extra_forbidden"}
        )
        lines.append(problem_line(problem, prefix, message, show_input=not hidden))
    return "\n".join(lines)


def _as_written(location: tuple) -> tuple:
    """Credentials are merged from `airbyteSecrets` into `airbyte`; a problem with one names the key they came from."""
    if len(location) > 1 and location[0] == SETTINGS_KEY and location[1] in AIRBYTE_SECRET_FIELDS:
        return (SECRETS_KEY, *location[1:])
    if location[:2] == (SETTINGS_KEY, "sources") and location[3:4] == ("credentials",):
        return (SECRETS_KEY, *location[1:])
    return location


def _allowed_keys(model: type[BaseModel], location: tuple) -> list[str]:
    """Walks the models along a validation location to list the keys accepted there."""
    annotation: Any = model
    for part in location:
        annotation = _step(annotation, part)
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sorted(field.alias or name for name, field in annotation.model_fields.items())
    return []


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation one step deeper: a model's field, a dict's value or a list's item."""
    annotation = _unwrap_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        by_alias = {field.alias or name: field for name, field in annotation.model_fields.items()}
        return by_alias[part].annotation
    return typing.get_args(annotation)[-1]


def _unwrap_optional(annotation: Any) -> Any:
    """`X | None` becomes X, so the walk continues into the model."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation
