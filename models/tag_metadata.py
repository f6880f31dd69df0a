"""The SOPHIA_AI_METADATA tag value: typed, and refused before deploy if Snowflake would refuse it."""

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StrictBool, StringConstraints

from models.naming import METADATA_TAG

TAG_VALUE_MAX_LENGTH = 256

# Lower-case snake names keep the JSON short and free of characters that need escaping.
TagName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class PiiLevel(StrEnum):
    """Allowed values of the PII_LEVEL tag, from least to most sensitive."""

    NONE = "none"
    LOW = "low"
    HIGH = "high"
    SENSITIVE = "sensitive"

    @property
    def is_masked(self) -> bool:
        """High and sensitive values are masked for every role not explicitly allowed to see them."""
        return self in {PiiLevel.HIGH, PiiLevel.SENSITIVE}

    @classmethod
    def highest(cls, levels: Iterable["PiiLevel"]) -> "PiiLevel":
        """A table is as sensitive as its most sensitive column."""
        order = list(cls)
        return max(levels, key=order.index, default=cls.NONE)


class UpdateFrequency(StrEnum):
    """How often a data source changes, so consumers know how fresh to expect it."""

    REALTIME = "realtime"
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    STATIC = "static"


class TagValueTooLongError(ValueError):
    """A tag value Snowflake would reject at deploy time, caught at plan time instead."""


class SophiaMetadata(BaseModel):
    """The JSON object stored in the SOPHIA_AI_METADATA tag of a schema, table or column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity_type: TagName
    data_source: TagName
    update_frequency: UpdateFrequency
    pii_level: PiiLevel
    vector_index: StrictBool
    is_primary_identifier: StrictBool | None = None

    def to_tag_value(self, object_name: str) -> str:
        """Compact, key-sorted JSON, so the same metadata always yields the same tag value (no drift)."""
        value = json.dumps(
            self.model_dump(mode="json", exclude_none=True), sort_keys=True, separators=(",", ":")
        )
        if len(value) > TAG_VALUE_MAX_LENGTH:
            raise TagValueTooLongError(
                f"{METADATA_TAG} on {object_name} would be {len(value)} characters; "
                f"Snowflake allows at most {TAG_VALUE_MAX_LENGTH}: {value}"
            )
        return value
