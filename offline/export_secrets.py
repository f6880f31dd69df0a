"""What no analyzer can see: that a credential field of an export holds a secret envelope, not plain text.

pulumi-policy unwraps secrets before any rule runs (deserialize_properties), so `credentials-only-in-secret-
fields` judges where a credential sits; this judges, on the export itself, that it is still a secret there.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from offline.export import SECRET_SIG, SECRET_SIG_KEY
from policies.sophia_policies.secret_fields import secret_fields

RULE = "credentials-only-in-secret-fields"


def is_secret(value: Any) -> bool:
    """Whether an export value is Pulumi's secret envelope."""
    return isinstance(value, Mapping) and value.get(SECRET_SIG_KEY) == SECRET_SIG


def plaintext_credentials(resources: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(urn, message) for every secret field of an export resource that holds a value in plain text."""
    for resource in resources:
        inputs = resource.get("inputs") or {}
        for field in secret_fields(resource["type"]):
            if inputs.get(field) not in (None, "") and not is_secret(inputs[field]):
                name = resource["urn"].rsplit("::", 1)[-1]
                yield (
                    resource["urn"],
                    f"{name} holds {field} in plain text in the export; a credential must stay a Pulumi secret.",
                )
