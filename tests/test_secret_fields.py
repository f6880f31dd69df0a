"""The fields `credentials-only-in-secret-fields` trusts are secrets by construction, as the SDKs declare them."""

import re
from pathlib import Path

import pulumi_snowflake
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from components.airbyte.kinds import SECRET_PROPERTIES
from policies.sophia_policies.secret_fields import (
    AIRBYTE_SECRET_FIELDS,
    SECRET_FIELDS,
    SNOWFLAKE_PROVIDER,
    credential_leaks,
)

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


def test_a_private_key_block_outside_a_secret_field_is_a_leak_and_inside_one_is_not() -> None:
    """A key made here, at test time: no key block is ever kept in the repository."""
    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )
    assert list(credential_leaks(SNOWFLAKE_PROVIDER, {"comment": pem, "privateKey": pem})) == ["comment"]
