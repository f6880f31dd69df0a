"""The fields `credentials-only-in-secret-fields` trusts are secrets by construction, as the SDKs declare them."""

import re
from pathlib import Path

import pulumi_snowflake
import pytest

from components.airbyte.kinds import SECRET_PROPERTIES
from policies.sophia_policies.secret_fields import AIRBYTE_SECRET_FIELDS, SECRET_FIELDS, SNOWFLAKE_PROVIDER

SDK = Path(pulumi_snowflake.__file__).parent
SNOWFLAKE_FIELDS = [(kind, field) for kind, fields in SECRET_FIELDS.items() for field in fields]


def _module(kind: str) -> Path:
    """`snowflake:index/secretWithGenericString:...` -> secret_with_generic_string.py; the provider -> provider.py."""
    if kind == SNOWFLAKE_PROVIDER:
        return SDK / "provider.py"
    return SDK / f"{re.sub(r'(?<!^)(?=[A-Z])', '_', kind.split('/')[1].split(':')[0]).lower()}.py"


@pytest.mark.parametrize(
    ("kind", "field"), SNOWFLAKE_FIELDS, ids=[f"{k.split(':')[-1]}.{f}" for k, f in SNOWFLAKE_FIELDS]
)
def test_pulumi_snowflake_wraps_each_field_in_a_secret(kind: str, field: str) -> None:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()
    assert f'__props__.__dict__["{snake}"] = None if {snake} is None else pulumi.Output.secret({snake})' in (
        _module(kind).read_text()
    )


def test_the_airbyte_resources_secret_fields_are_the_rules() -> None:
    assert set(SECRET_PROPERTIES) <= set(AIRBYTE_SECRET_FIELDS)
