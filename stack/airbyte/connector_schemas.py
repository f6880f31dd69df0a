"""The SDK's connector models as committed JSON Schemas, rebuilt as pydantic models: config checks load no SDK."""

# The snapshot is `model_json_schema()` of each SOURCE_SPECS model, written by `python -m
# stack.airbyte.connector_snapshot`; tests/airbyte/test_connector_schemas.py holds it equal to the installed SDK
# and holds the rebuilt models to accept and refuse what the SDK's models do. A JSON Schema construct this
# module does not rebuild is refused here, so an SDK upgrade that brings one fails loudly, not loosely.

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, Field, create_model

SNAPSHOT = Path(__file__).with_name("connector_schemas.json")
REGENERATE = "python -m stack.airbyte.connector_snapshot"

# pydantic's JSON Schema of each Python type the SDK's connector models use; `null` is Optional's other half.
_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "null": None}
# Keys that only document (or state a default, which validation never checks), and the ones rebuilt below.
_NOTES = {"title", "description", "default"}
_REBUILT = {"$ref", "anyOf", "oneOf", "enum", "type", "format", "items", "properties", "required", "$defs"}


@cache
def snapshot() -> dict[str, Any]:
    """Every connector model's JSON Schema, by the SDK's model name."""
    return json.loads(SNAPSHOT.read_text())


@cache
def connector_model(name: str) -> type[BaseModel]:
    """The pydantic model of the SDK's `name`, rebuilt from its schema, as lax and as strict as the SDK's."""
    if name not in snapshot():
        raise LookupError(f"no schema of {name!r} in {SNAPSHOT.name}; run `{REGENERATE}`")
    schema = snapshot()[name]
    return _Rebuild(schema.get("$defs", {})).model(name, schema)


def _refuse_unknown(node: dict[str, Any]) -> None:
    """A constraint left out would make the rebuilt model laxer than the SDK's: stop instead."""
    if unknown := set(node) - _NOTES - _REBUILT:
        raise NotImplementedError(f"JSON Schema keys {sorted(unknown)} are not rebuilt")


class _Rebuild:
    """One schema's definitions, each rebuilt once."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.models: dict[str, Any] = {}

    def model(self, name: str, node: dict[str, Any]) -> type[BaseModel]:
        """An object schema as a model: extra keys ignored (the SDK's models do not forbid them)."""
        _refuse_unknown(node)
        required = set(node.get("required", ()))
        fields: dict[str, Any] = {
            # Python names of our own, the schema's names as aliases: errors are located by alias.
            f"field_{index}": (
                self.type(schema),
                Field(... if key in required else schema.get("default"), alias=key),
            )
            for index, (key, schema) in enumerate(node.get("properties", {}).items())
        }
        return create_model(name, **fields)

    def type(self, node: dict[str, Any]) -> Any:
        """The Python type a schema node stands for."""
        _refuse_unknown(node)
        if "$ref" in node:
            return self.ref(node["$ref"].removeprefix("#/$defs/"))
        # The SDK picks an auth method's model by its constant field (a callable discriminator the schema does
        # not carry); a plain union decides alike because SourceSpec always sets that constant.
        if "anyOf" in node or "oneOf" in node:
            return Union[tuple(self.type(option) for option in node.get("anyOf") or node["oneOf"])]  # noqa: UP007
        if "enum" in node:
            return Literal[tuple(node["enum"])]
        kind = node["type"]
        if kind == "array":
            return list[self.type(node["items"])]  # type: ignore[misc]
        if kind == "object":
            raise NotImplementedError("an inline object schema is not rebuilt")
        if "format" in node:
            if (kind, node["format"]) != ("string", "date-time"):
                raise NotImplementedError(f"format {node['format']!r} is not rebuilt")
            return datetime
        return _SCALARS[kind]

    def ref(self, name: str) -> Any:
        """A definition, rebuilt the first time it is named."""
        if name not in self.models:
            node = self.defs[name]
            self.models[name] = self.model(name, node) if node.get("type") == "object" else self.type(node)
        return self.models[name]
