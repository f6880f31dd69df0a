"""What the offline plan uses in place of secrets it cannot read, and what it tells the user about them.

A real run reads secrets from Pulumi ESC or decrypts `secure:` values; the offline plan does neither. So
each secret stands in for itself: a fake of the right shape at the same place (a https URL where a webhook
URL goes), so the plan runs, and every check that needs the clear value is left to the real run, which
the plan says. A key given as one `secure:` value (`pulumi config set --secret airbyteSecrets ...`) is
opaque offline, so its whole structure stands in, derived from the settings it must match.
"""

from typing import Any, NamedTuple

from stack.airbyte.secrets import SECRETS_KEY, SETTINGS_KEY
from stack.airbyte.source_types import SOURCE_SPECS, SourceType
from stack.quality_gate import SECRETS_KEY as GATE_SECRETS_KEY
from stack.quality_gate import SETTINGS_KEY as GATE_SETTINGS_KEY

SECRET_STAND_IN = "[secret: offline stand-in]"
_FAKE = "offline-stand-in"


class EscSecret(NamedTuple):
    """A stand-in for a secret that ESC would supply: usable as a value, marked secret like `secure:`."""

    value: Any


# What a stack's Pulumi ESC environment supplies on a real run; the offline plan has no ESC, so these
# obviously fake values stand in. The account identity is wrapped as secret by the program itself.
ESC_STAND_INS: dict[str, Any] = {
    "snowflakeAccount": {
        "organizationName": "OFFLINE_ORG",
        "accountName": "OFFLINE_ACCOUNT",
        "user": "OFFLINE_DEPLOYER",
        "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
    },
    "snowflakeToken": {"secure": _FAKE},
    # Public keys are not secret, but they belong to the account, not to the repository.
    "servicePublicKeys": {user: "MIIB" + "A" * 388 for user in ("AIRBYTE", "APP", "HOOKS")},
}
# The alert webhook's credential ESC would supply, by the kind the stack file names: fake, well-formed.
GATE_SECRET_STAND_INS = {
    "slack": {"webhookUrl": "https://hooks.slack.com/services/OFFLINE/STAND/IN"},
    "teams": {"webhookUrl": "https://offline.stand-in.logic.azure.com/workflows/offline-stand-in"},
    "pagerduty": {"routingKey": _FAKE},
}


def secret_stand_ins(config: dict[str, Any], project: str) -> dict[str, EscSecret]:
    """Well-formed fakes of the structured secret keys, for what the stack file's settings configure."""
    return {**_airbyte_stand_ins(config, project), **_gate_stand_ins(config, project)}


def source_credentials(config: dict[str, Any], project: str) -> dict[str, tuple[str, ...]]:
    """Each configured source's credential fields, by source name."""
    settings = _setting(config, project, SETTINGS_KEY)
    return {
        name: SOURCE_SPECS[SourceType(spec["sourceType"])].credential_fields
        for name, spec in (settings.get("sources") or {}).items()
        if isinstance(spec, dict) and spec.get("sourceType") in set(SourceType)
    }


def stand_in_secure(key: str, value: Any, stand_in: Any, notes: list[str]) -> Any:
    """`value` with each `secure:` part replaced by what `stand_in` holds at its place, noted by its path."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        unwrapped = stand_in.value if isinstance(stand_in, EscSecret) else stand_in
        if isinstance(unwrapped, dict | list):
            notes.append(f"{key}: one secret, opaque offline; its contents are checked on a real run")
        elif unwrapped not in (None, _FAKE):  # a fake shaped like the value: a check on it would be moot
            notes.append(f"{key}: a secret; checks of its clear value are skipped offline")
        return EscSecret(SECRET_STAND_IN if unwrapped is None else unwrapped)
    if isinstance(value, dict):
        inner = stand_in.value if isinstance(stand_in, EscSecret) else stand_in
        inner = inner if isinstance(inner, dict) else {}
        return {k: stand_in_secure(f"{key}.{k}", v, inner.get(k), notes) for k, v in value.items()}
    return value


def source_notes(config: dict[str, Any], project: str, where: str) -> list[str]:
    """One warning per source whose credentials the offline plan stands in: a real run needs them."""
    return [
        f"{SECRETS_KEY}.sources.{name}.credentials: stood in offline; {where} must hold it ({', '.join(fields)})"
        for name, fields in source_credentials(config, project).items()
    ]


def _airbyte_stand_ins(config: dict[str, Any], project: str) -> dict[str, EscSecret]:
    """Fake Airbyte credentials for exactly the sources the stack file configures."""
    if not _setting(config, project, SETTINGS_KEY):
        return {}
    sources = {
        name: {"credentials": dict.fromkeys(fields, _FAKE)}
        for name, fields in source_credentials(config, project).items()
    }
    return {
        SECRETS_KEY: EscSecret(
            {
                "apiCredentials": {"bearerToken": _FAKE},
                "notifications": {
                    "success": {"webhookUrl": "https://webhook.invalid/offline-stand-in/success"},
                    "failure": {"webhookUrl": "https://webhook.invalid/offline-stand-in/failure"},
                },
                "destination": {"privateKey": _FAKE},
                "sources": sources,
            }
        )
    }


def _gate_stand_ins(config: dict[str, Any], project: str) -> dict[str, EscSecret]:
    """A fake credential for the alert webhook the stack file's qualityGate names, if any."""
    notify = (_setting(config, project, GATE_SETTINGS_KEY).get("alerts") or {}).get("notify")
    kind = notify.get("kind") if isinstance(notify, dict) else None
    stand_in = GATE_SECRET_STAND_INS.get(kind) if isinstance(kind, str) else None
    return {GATE_SECRETS_KEY: EscSecret(stand_in)} if stand_in else {}


def _setting(config: dict[str, Any], project: str, key: str) -> dict[str, Any]:
    value = config.get(f"{project}:{key}") or config.get(key)
    return value if isinstance(value, dict) else {}
