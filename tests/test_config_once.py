"""A process validates one stack config once: the plan's command, program and policy defaults share it."""

import pydantic
import pytest

from offline.stack_files import load_stack_files
from stack import loader
from stack.loader import ConfigError, load_stack_config
from tests.harness import PROJECT_DIR


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The projects validated from now on (the cache starts empty)."""
    seen: list[str] = []
    real = loader._validate
    monkeypatch.setattr(
        loader, "_validate", lambda project, *rest: seen.append(project) or real(project, *rest)
    )
    loader._validated.cache_clear()
    return seen


def test_equal_inputs_are_validated_once(validations: list[str]) -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    first = load_stack_config(files.project, dict(files.values), set(files.secret_keys))
    again = load_stack_config(files.project, dict(files.values), set(files.secret_keys))

    assert again is first and len(validations) == 1
    with pytest.raises(pydantic.ValidationError):
        again.environment = "prod"  # shared, so it must be frozen


def test_any_change_is_validated_anew(validations: list[str]) -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    shipped = load_stack_config(files.project, files.values, files.secret_keys)
    fewer_secrets = set(files.secret_keys) - {next(iter(files.secret_keys))}

    with pytest.raises(ConfigError):  # a secret given in clear: refused, not served from the cache
        load_stack_config(files.project, files.values, fewer_secrets)
    with pytest.raises(ConfigError):  # and refused again: failures are never cached
        load_stack_config(files.project, files.values, fewer_secrets)
    assert load_stack_config(files.project, files.values, files.secret_keys) is shipped
    assert len(validations) == 3


def test_values_that_cannot_be_keys_are_still_validated(validations: list[str]) -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    values = {**files.values, "pulumi:tags": {"team": ["data"]}}  # another namespace, unhashable

    assert load_stack_config(files.project, values, files.secret_keys)
    assert load_stack_config(files.project, values, files.secret_keys)
    assert len(validations) == 2
