"""The committed connector schemas are the SDK's, and the models rebuilt from them accept and refuse what the SDK's do."""

import datetime
import itertools
from typing import Any

import pytest
from airbyte_api import models
from pydantic import BaseModel, ValidationError

from models.json_values import deep_merge
from stack.airbyte.connector_schemas import REGENERATE, _Rebuild, connector_model, snapshot
from stack.airbyte.source_types import SOURCE_SPECS, SourceType
from tests.airbyte.config_samples import changed, rejection
from tests.airbyte.test_payloads import SETTINGS

# What a stack file can hold (YAML scalars, lists, maps, dates and timestamps) and what lax validation bends.
VALUES: list[Any] = [
    None, "", " ", "x", "5", "-1", "5.0", "5.5", "1e3", "0x10", 5, 0, -1, 5.0, 5.5, 10**30, float("nan"), True,
    False, "true", "false", "yes", "no", "on", "off", "1", "0", "null", "2024-01-01", "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00", "2024-01-01 00:00:00+02:00", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z",
    "not a date", "1700000000", 1700000000, 1700000000000, datetime.date(2024, 1, 1),
    datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), "P30D", "gong", "slack", "Client", "token", [], [""],
    ["general"], [1], [None], ["a", 2], {}, {"value": "x"}, [{}], [{"value": "x"}], [{"value": 1}],
    [{"value": "x", "criteria": "contains"}], [{"value": "x", "criteria": "bogus"}], [{"value": "x", "extra": 1}],
    ("a",), {"a", "b"}, b"bytes", object(),
]  # fmt: skip
# Keys besides each schema's own: Python names of SDK fields (their models populate by name), and strangers.
KEYS = ["SOURCE_TYPE", "AUTH_TYPE", "OPTION_TITLE", "CREDENTIALS_TITLE", "credentials", "sourceType", "x", ""]


def _configuration(source_type: SourceType, settings: dict[str, Any]) -> dict[str, Any]:
    """The configuration that stack/airbyte/config.py checks, built the same way."""
    spec = SOURCE_SPECS[source_type]
    return deep_merge(
        spec.configuration(source_type, settings),
        spec.secret_configuration({name: "placeholder" for name in spec.credential_fields}),
    )


def _verdict(model: type[BaseModel], configuration: dict[str, Any]) -> set[str] | None:
    """None when accepted; else the top-level keys refused (as the user writes them)."""
    try:
        model.model_validate(configuration)
    except ValidationError as error:
        return {str(problem["loc"][0]) if problem["loc"] else "" for problem in error.errors()}
    return None


def _cases(source_type: SourceType) -> list[dict[str, Any]]:
    """Each key of the connector (and the strangers) set to each value, alone and with the others unset."""
    keys = [*snapshot()[SOURCE_SPECS[source_type].sdk_model_name]["properties"], *KEYS]
    base = SETTINGS.get(source_type, {})  # what the connector requires, so one changed key decides
    return [{}, base] + [{**base, key: value} for key, value in itertools.product(keys, VALUES)]


def test_the_snapshot_is_the_installed_sdks() -> None:
    names = sorted(spec.sdk_model_name for spec in SOURCE_SPECS.values())
    sdk = {name: getattr(models, name).model_json_schema() for name in names}
    assert snapshot() == sdk, f"the SDK's connector models changed: run `{REGENERATE}` and review the diff"


@pytest.mark.parametrize("source_type", list(SourceType), ids=str)
def test_the_rebuilt_model_decides_as_the_sdks(source_type: SourceType) -> None:
    spec = SOURCE_SPECS[source_type]
    sdk, rebuilt = spec.sdk_model, connector_model(spec.sdk_model_name)
    cases = _cases(source_type)
    configurations = [_configuration(source_type, settings) for settings in cases]
    verdicts = [(_verdict(sdk, c), _verdict(rebuilt, c)) for c in configurations]
    differ = [(case, a, b) for case, (a, b) in zip(cases, verdicts, strict=True) if a != b]
    assert differ == [], differ[:5]
    assert {a is None for a, _ in verdicts} == {True, False}, "the corpus must hold both kinds"


def test_a_refusal_names_the_key_as_written_and_never_the_value() -> None:
    settings = {"start_date": "2024-01-01T00:00:00Z", "num_workers": "s3cr3t-1", "channel_filter": "s3cr3t-2"}

    message = rejection(changed("sources.SLACK.settings", settings))

    assert "settings do not fit Airbyte's 'slack' connector" in message
    assert "settings.channel_filter: Input should be a valid list" in message
    assert "settings.num_workers: Input should be a valid integer" in message
    assert "s3cr3t" not in message


@pytest.mark.parametrize(
    "node",
    [
        {"type": "string", "pattern": "^a$"},
        {"type": "integer", "minimum": 1},
        {"type": "string", "format": "uri"},
        {"type": "array", "items": {"type": "object", "properties": {}}},
        {"properties": {"a": {"type": "string"}}, "additionalProperties": False, "type": "object"},
    ],
    ids=["pattern", "minimum", "uri", "inline-object", "forbid-extra"],
)
def test_a_construct_not_rebuilt_is_refused_not_dropped(node: dict[str, Any]) -> None:
    with pytest.raises(NotImplementedError):
        _Rebuild({"Node": node}).ref("Node")
