"""The offline plan works with ESC and without it: `secure:` values stand in for themselves, and it says so."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from offline.ci_formats import ReportFormat
from sophia.cli import EXIT_INVALID, EXIT_OK, plan
from tests.harness import PROJECT_DIR

NS = "sophia-data-platform:"
SECURE = {"secure": "v1:AAAAAAAAAAAAAAAAAAAAAA==:ciphertextNotReadableOffline"}
ACCOUNT = {"organizationName": "ORG", "accountName": "ACCOUNT", "user": "PULUMI_DEPLOY"}


def _without_esc(secrets: dict[str, Any]) -> dict[str, Any]:
    """The dev stack file set up with `pulumi config set [--secret] [--path]` instead of an ESC environment."""
    document = yaml.safe_load((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    del document["environment"]
    document["config"] |= {
        f"{NS}snowflakeAccount": {**ACCOUNT, "authenticator": "PROGRAMMATIC_ACCESS_TOKEN"},
        f"{NS}snowflakeToken": SECURE,
        f"{NS}servicePublicKeys": {user: "MIIB" + "Q" * 388 for user in ("AIRBYTE", "APP", "HOOKS")},
        **{f"{NS}{key}": value for key, value in secrets.items()},
    }
    return document


PATH_SET = {  # `pulumi config set --secret --path 'airbyteSecrets.notifications.success.webhookUrl' ...`
    "airbyteSecrets": {
        "apiCredentials": {"bearerToken": SECURE},
        "notifications": {"success": {"webhookUrl": SECURE}, "failure": {"webhookUrl": SECURE}},
        "destination": {"privateKey": SECURE},
        "sources": {
            "GONG": {"credentials": {"access_key": SECURE, "access_key_secret": SECURE}},
            "HUBSPOT": {"credentials": {"access_token": SECURE}},
            "SLACK": {"credentials": {"api_token": SECURE}},
        },
    },
    "qualityGateSecrets": {"webhookUrl": SECURE},
}
WHOLE_KEYS = {
    "airbyteSecrets": SECURE,
    "qualityGateSecrets": SECURE,
}  # `pulumi config set --secret KEY '{...}'`


def _plan(tmp_path: Path, document: dict[str, Any]) -> tuple[int, str, str]:
    for name in ("Pulumi.yaml", "__main__.py", "policies/config/dev.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    (tmp_path / "Pulumi.dev.yaml").write_text(yaml.safe_dump(document))
    out, err = Console(record=True, width=1000), Console(record=True, width=1000)
    code = plan(tmp_path, "dev", tmp_path / "build", ReportFormat.TEXT, out, err)
    return code, out.export_text(), err.export_text()


def test_secrets_set_by_path_stand_in_and_their_checks_are_said_to_be_skipped(tmp_path: Path) -> None:
    code, output, errors = _plan(tmp_path, _without_esc(PATH_SET))
    assert code == EXIT_OK, errors + output
    assert "offline: secrets this plan cannot read stand in for themselves" in errors
    for key in ("airbyteSecrets.notifications.success.webhookUrl", "qualityGateSecrets.webhookUrl"):
        assert f"{key}: a secret; checks of its clear value are skipped offline" in errors
    assert "stood in offline" not in errors  # every source's credentials are set: nothing to warn of
    assert "ciphertext" not in output + errors


def test_secrets_set_as_whole_keys_stand_in_for_what_the_settings_configure(tmp_path: Path) -> None:
    code, output, errors = _plan(tmp_path, _without_esc(WHOLE_KEYS))
    assert code == EXIT_OK, errors + output
    assert "airbyteSecrets: one secret, opaque offline; its contents are checked on a real run" in errors
    assert (
        "airbyteSecrets.sources.GONG.credentials: stood in offline; the secret airbyteSecrets must hold it "
        "(access_key, access_key_secret)"
    ) in errors


def test_with_esc_each_sources_credentials_are_said_to_be_stood_in(tmp_path: Path) -> None:
    document = yaml.safe_load((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    code, _, errors = _plan(tmp_path, document)
    assert code == EXIT_OK
    for source, fields in (("GONG", "access_key, access_key_secret"), ("SLACK", "api_token")):
        assert (
            f"airbyteSecrets.sources.{source}.credentials: stood in offline; the ESC environment sophia-ai/dev "
            f"must hold it ({fields})"
        ) in errors


def test_a_secret_left_out_without_esc_is_still_required(tmp_path: Path) -> None:
    secrets = {**PATH_SET, "airbyteSecrets": {**PATH_SET["airbyteSecrets"], "sources": {}}}
    code, _, errors = _plan(tmp_path, _without_esc(secrets))
    assert code == EXIT_INVALID
    assert f"{NS}airbyteSecrets.sources.GONG.credentials: is required but not set" in errors


@pytest.mark.parametrize("value", ["http://in-clear.invalid/hook", "not a url"])
def test_a_webhook_given_in_clear_is_still_checked(tmp_path: Path, value: str) -> None:
    secrets = {**PATH_SET, "qualityGateSecrets": {"webhookUrl": value}}
    code, _, errors = _plan(tmp_path, _without_esc(secrets))
    assert code == EXIT_INVALID and value not in errors
