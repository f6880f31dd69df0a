"""The fake Airbyte's connectors: which it knows, what each requires, which fields it masks, as the real API."""

import json
import re
from collections.abc import Mapping
from typing import Any

from models.json_values import MASK
from stack.airbyte.source_types import SOURCE_SPECS, SourceSpec
from tests.airbyte.fake_http import ApiProblem

# The one destination, as the sources are declared in SOURCE_SPECS: its definition id, the fields its spec
# requires and the ones it declares `airbyte_secret`.
SNOWFLAKE_DEFINITION_ID = "424892c4-daac-4491-b35d-c6688ba547ba"
SNOWFLAKE_REQUIRED = (
    "host",
    "role",
    "warehouse",
    "database",
    "schema",
    "username",
    "credentials.private_key",
)
SNOWFLAKE_SECRETS = frozenset({"private_key", "private_key_password", "password"})


def _credential_paths(spec: SourceSpec) -> tuple[str, ...]:
    return tuple(
        f"{spec.credentials_key}.{name}" if spec.credentials_key else name for name in spec.credential_fields
    )


def _required(spec: SourceSpec) -> tuple[str, ...]:
    """What the connector's spec requires, as the SDK's model of it says, with each credential at its path."""
    declared = [
        field.alias or name
        for name, field in spec.sdk_model.model_fields.items()
        if field.is_required() and name != spec.credentials_key
    ]
    return tuple(dict.fromkeys([*declared, *_credential_paths(spec)]))


# Credentials the connector's spec does not declare `airbyte_secret`, so the API returns them in clear:
# Salesforce's client_id (source-salesforce spec.yaml).
NOT_MASKED = frozenset({"client_id"})
# Fields the real connectors declare `airbyte_secret`: the API stores them but only ever returns the mask.
SECRET_FIELDS = (
    frozenset(name for spec in SOURCE_SPECS.values() for name in spec.credential_fields) - NOT_MASKED
) | SNOWFLAKE_SECRETS
# Enough of each connector's spec to reject what the real API rejects in our tests.
REQUIRED_FIELDS = {
    **{source_type.value: _required(spec) for source_type, spec in SOURCE_SPECS.items()},
    "snowflake": SNOWFLAKE_REQUIRED,
}
TYPE_KEYS = {"sources": "sourceType", "destinations": "destinationType"}
# The public API resolves a connector name to its definition and back through fixed tables
# (airbyte-server .../publicapi/mappers/NameToDefinitionMapper.kt).
DEFINITION_IDS = {
    "sources": {source_type.value: spec.definition_id for source_type, spec in SOURCE_SPECS.items()},
    "destinations": {"snowflake": SNOWFLAKE_DEFINITION_ID},
}
ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$")


def connector_named(collection: str, configuration: Mapping[str, Any]) -> str:
    """The connector a create names by its type (SourcesController.publicCreateSource)."""
    connector = configuration.get(TYPE_KEYS[collection])
    if connector is None:
        raise ApiProblem(422, "unprocessable-entity", "The body of the request was not understood")
    if connector not in DEFINITION_IDS[collection]:
        raise ApiProblem(400, "value-not-found", f"The submitted value could not be found: {connector}")
    return connector


def connector_of(collection: str, stored: Mapping[str, Any]) -> str:
    """The connector name of a saved source or destination, from its definition id."""
    by_id = {definition: name for name, definition in DEFINITION_IDS[collection].items()}
    return by_id.get(stored["definitionId"], "")  # the read mappers' getOrDefault(..., "")


def check_connector(connector: str, configuration: dict[str, Any]) -> None:
    """Refuses a configuration the connector's spec would: a required field missing, a start date malformed."""
    missing = [path for path in REQUIRED_FIELDS[connector] if _at(configuration, path) in (None, "")]
    if missing:
        raise ApiProblem(
            422,
            "invalid-input",
            "The provided configuration does not fulfill the specification. Errors: "
            + "; ".join(f"$.{path}: is missing but it is required" for path in missing),
        )
    start = configuration.get("start_date")
    if start is not None and not ISO_DATE_TIME.match(str(start)):
        # Deliberately careless, as some servers are: the message quotes the whole request, secrets included.
        raise ApiProblem(
            400,
            "bad-request",
            f"$.start_date: does not match the date-time pattern. Configuration: {json.dumps(configuration)}",
        )


def saved_configuration(collection: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration a create or patch carries, less its type, as removeConfigurationNode leaves it."""
    configuration = body.get("configuration") or {}
    return {name: value for name, value in configuration.items() if name != TYPE_KEYS[collection]}


def public_connector(collection: str, stored: dict[str, Any]) -> dict[str, Any]:
    """A saved source or destination as the API returns it."""
    # SourceReadMapper / DestinationReadMapper: the saved configuration with its secrets masked, and the
    # connector type beside it, named from the definition.
    return {
        **stored,
        TYPE_KEYS[collection]: connector_of(collection, stored),
        "configuration": _masked(stored["configuration"]),
    }


def _at(document: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None."""
    value: Any = document
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _masked(value: Any) -> Any:
    """`value` with every secret field replaced by the mask, as the real API returns configurations."""
    if isinstance(value, Mapping):
        return {k: MASK if k in SECRET_FIELDS and v is not None else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value
