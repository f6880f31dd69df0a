"""Reading tag associations back: which object carries which tag with which value."""

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .snowflake import SCHEMA, TABLE, TAG_ASSOCIATION, WAREHOUSE, unquote

TAG_VALUE_LIMIT = 256


def tag_values(resources: Iterable[Any], tag_name: str) -> dict[str, str]:
    """Object identifier (unquoted, upper-case) → value of the tag named `tag_name` on it."""
    values: dict[str, str] = {}
    for resource in resources:
        if resource.resource_type != TAG_ASSOCIATION:
            continue
        if unquote(resource.props.get("tagId", "")).split(".")[-1] != tag_name:
            continue
        for identifier in resource.props.get("objectIdentifiers") or []:
            values[unquote(identifier).upper()] = resource.props.get("tagValue", "")
    return values


def managed_objects(resources: Iterable[Any]) -> dict[str, Any]:
    """Identifier → resource, for every schema, table and warehouse the stack declares."""
    objects: dict[str, Any] = {}
    for resource in resources:
        props = resource.props
        if resource.resource_type == SCHEMA:
            objects[f"{props.get('database')}.{props.get('name')}".upper()] = resource
        elif resource.resource_type == TABLE:
            objects[f"{props.get('database')}.{props.get('schema')}.{props.get('name')}".upper()] = resource
        elif resource.resource_type == WAREHOUSE:
            objects[str(props.get("name")).upper()] = resource
    return objects


def metadata_problem(value: str, required_keys: Iterable[str]) -> str | None:
    """Why a metadata tag value is not acceptable, or None when it is."""
    if len(value) > TAG_VALUE_LIMIT:
        return f"is {len(value)} characters, over Snowflake's {TAG_VALUE_LIMIT}-character tag-value limit"
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return "is not JSON"
    if not isinstance(parsed, dict):
        return "is not a JSON object"
    missing = sorted(set(required_keys) - set(parsed))
    return f"lacks {missing}" if missing else None


def columns_by_pii_level(metadata: dict[str, str]) -> dict[str, set[str]]:
    """PII level → column identifiers, from column metadata tag values that parse."""
    levels: dict[str, set[str]] = defaultdict(set)
    for identifier, value in metadata.items():
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            continue
        if isinstance(parsed, dict) and identifier.count(".") == 3:
            levels[str(parsed.get("pii_level", "none"))].add(identifier)
    return levels
