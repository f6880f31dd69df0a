"""The base of every config model: camelCase keys as in Pulumi config, unknown keys rejected."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class StrictModel(BaseModel):
    """Base for config models: camelCase keys as in Pulumi config, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)
