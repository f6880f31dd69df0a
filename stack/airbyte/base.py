"""The base of the Airbyte config models: their inputs may hold credentials, so errors never quote them."""

from pydantic import ConfigDict

from models.strict_model import StrictModel


class AirbyteModel(StrictModel):
    """Base of the Airbyte config models: inputs, which may hold credentials, never appear in errors."""

    model_config = ConfigDict(hide_input_in_errors=True)
