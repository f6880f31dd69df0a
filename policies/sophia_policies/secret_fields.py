"""A credential is a secret wherever it appears: it may live only in a field that is a secret by construction.

Analyzers get secrets decrypted (pulumi-policy's deserialize_properties unwraps the secret envelope before a
rule runs), so a rule cannot tell a secret from a plain value; it can tell where a credential sits. The fields
below are secrets whatever the program passes: pulumi-snowflake wraps each in `pulumi.Output.secret` (its
SDK's `__init__` of each resource), and the Airbyte dynamic resources declare theirs secret (their
`secret_configuration` and `api_credentials`; `__provider` is Pulumi's own, always a secret).
`offline/policy_check.py` also checks, on an export, that each of these fields holds a secret envelope.
"""

import contextlib
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity

from .rule import Settings, resource_rule

SNOWFLAKE_PROVIDER = "pulumi:providers:snowflake"
AIRBYTE_PREFIX = "pulumi-python:dynamic/airbyte:"
AIRBYTE_SECRET_FIELDS = ("secret_configuration", "api_credentials", "__provider")
SECRET_FIELDS: Mapping[str, tuple[str, ...]] = {
    SNOWFLAKE_PROVIDER: (
        "token",
        "privateKey",
        "privateKeyPassphrase",
        "password",
        "passcode",
        "oauthClientSecret",
        "proxyPassword",
    ),
    "snowflake:index/secretWithGenericString:SecretWithGenericString": ("secretString",),
    "snowflake:index/secretWithBasicAuthentication:SecretWithBasicAuthentication": ("password",),
    "snowflake:index/user:User": ("password",),
    "snowflake:index/legacyServiceUser:LegacyServiceUser": ("password",),
}
# Keys that name a credential, in camelCase, snake_case or Airbyte's spellings; `credentials` is a container.
CREDENTIAL_KEY = re.compile(
    r"(password|passphrase|secret|token|private_?key|api_?key|access_key|routing_?key|webhook_?url)$", re.I
)
# Values that are credentials whatever their key: a private key block, or a literal secret typed into SQL.
CREDENTIAL_VALUE = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(PASSWORD|SECRET_STRING|OAUTH_CLIENT_SECRET)\s*=\s*'[^']+'", re.I
)


def secret_fields(resource_type: str) -> tuple[str, ...]:
    """The top-level fields of a resource type that are secrets by construction."""
    if resource_type.startswith(AIRBYTE_PREFIX):
        return AIRBYTE_SECRET_FIELDS
    return SECRET_FIELDS.get(resource_type, ())


def credential_leaks(resource_type: str, props: Mapping[str, Any]) -> Iterator[str]:
    """The path of every credential outside the resource type's secret fields."""
    homes = set(secret_fields(resource_type))
    for key, value in props.items():
        if key not in homes:
            yield from _leaks(value, key)


def _leaks(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str) and value[:1] in "{[":
        with contextlib.suppress(json.JSONDecodeError):
            value = json.loads(value)  # Airbyte configurations travel as JSON text
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaks(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaks(item, f"{path}[{index}]")
    elif (
        isinstance(value, str)
        and value
        and (CREDENTIAL_KEY.search(path.rsplit(".", 1)[-1]) or CREDENTIAL_VALUE.search(value))
    ):
        yield path


def _credentials_in_secret_fields(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    for path in credential_leaks(args.resource_type, args.props):
        homes = secret_fields(args.resource_type)
        where = f"one of its secret fields {list(homes)}" if homes else "a Pulumi secret of its own resource"
        report(f"{args.name} holds a credential in {path}, a plain field; it belongs in {where}.", None)


SECRET_FIELD_RULES = [
    resource_rule(
        "credentials-only-in-secret-fields",
        "A credential appears only in a field that is a secret by construction, never in a plain one.",
        Severity.CRITICAL,
        "Move the credential to the stack's secret keys (sophia-data-platform:airbyteSecrets, "
        "sophia-data-platform:qualityGateSecrets, sophia-data-platform:snowflakeToken) so that the "
        "program passes it in the resource's secret field.",
        _credentials_in_secret_fields,
        types=None,  # a credential may be written into any resource's plain fields
    ),
]
