"""What no analyzer can see: that a credential field of an export holds a secret envelope, not plain text.

pulumi-policy unwraps secrets before any rule runs (deserialize_properties), so `credentials-only-in-secret-
fields` judges where a credential sits; this judges, on the export itself, that it is still a secret there.
"""

from collections.abc import Iterator
from typing import Any

from policies.sophia_policies.secret_fields import secret_fields
from stack.sdk_internals import is_secret_envelope

RULE = "credentials-only-in-secret-fields"


def plaintext_credentials(resources: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(urn, message) for every secret field of an export resource that holds a value in plain text."""
    for resource in resources:
        inputs = resource.get("inputs") or {}
        for field in secret_fields(resource["type"]):
            if inputs.get(field) not in (None, "") and not is_secret_envelope(inputs[field]):
                name = resource["urn"].rsplit("::", 1)[-1]
                yield (
                    resource["urn"],
                    f"{name} holds {field} in plain text in the export; a credential must stay a Pulumi secret.",
                )
