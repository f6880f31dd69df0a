"""Writes the connector schemas' snapshot from the installed SDK: the one place that reads the SDK for it."""

import json

from stack.airbyte.connector_schemas import SNAPSHOT
from stack.airbyte.source_types import SOURCE_SPECS


def write() -> None:
    """Snapshot `model_json_schema()` of the SDK's model of every source type in SOURCE_SPECS."""
    schemas = {spec.sdk_model_name: spec.sdk_model.model_json_schema() for spec in SOURCE_SPECS.values()}
    SNAPSHOT.write_text(json.dumps(schemas, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    write()
