"""Each error names the key as the user writes it, never echoes what could be a secret, and exits 2."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from offline.stack_files import load_stack_files
from stack.loader import ConfigError, load_stack_config
from tests.harness import DELETE, PROJECT_DIR, assert_config_refused, failed_plan

NS = "sophia-data-platform:"


def test_a_missing_source_credential_names_the_secret_key() -> None:
    assert_config_refused(
        "dev",
        {"airbyteSecrets.sources.GONG.credentials": DELETE},
        [f"{NS}airbyteSecrets.sources.GONG.credentials: is required but not set"],
    )


def test_a_wrong_source_credential_names_the_secret_key_and_not_its_value() -> None:
    failure = failed_plan("dev", {"airbyteSecrets.sources.GONG.credentials": {"acces_key": "gong-key-987"}})
    message = str(failure.cause)
    assert f"{NS}airbyteSecrets.sources.GONG.credentials: credentials of sourceType 'gong'" in message
    assert "missing ['access_key', 'access_key_secret'], unknown ['acces_key']" in message
    assert "gong-key-987" not in message


def test_a_bad_webhook_names_the_secret_key() -> None:
    failure = failed_plan(
        "dev", {"airbyteSecrets.notifications.success.webhookUrl": "http://x.invalid/t0k3n"}
    )
    message = str(failure.cause)
    assert (
        f"{NS}airbyteSecrets.notifications.success.webhookUrl: webhookUrl must be an https:// URL" in message
    )
    assert "t0k3n" not in message


def test_missing_airbyte_credentials_name_the_secret_key() -> None:
    failure = failed_plan("dev", {"airbyteSecrets.apiCredentials": DELETE})
    assert f"{NS}airbyteSecrets.apiCredentials: is required but not set" in str(failure.cause)


@pytest.mark.parametrize("key", ["snowflakeTokn", "warehouses.ETL.secretThing"])
def test_an_unknown_key_is_named_but_its_value_never_shown(key: str) -> None:
    failure = failed_plan("dev", {key: "pat-0123456789abcdef"})
    message = str(failure.cause)
    assert f"{NS}{key}: unknown key; " in message and "allowed keys here:" in message
    assert "pat-0123456789abcdef" not in message


def test_an_unknown_key_offers_the_one_meant() -> None:
    message = str(failed_plan("dev", {"snowflakeTokn": "pat-0123"}).cause)
    assert "unknown key; did you mean snowflakeToken? allowed keys here:" in message
    assert "airbyteSecrets" in message  # a top-level key, though merged into airbyte before validation


def test_a_misspelt_namespace_is_refused() -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    values = {**files.values, "sophia-data-platfrom:embedding": '{"schedule": "60 MINUTES"}'}
    with pytest.raises(ConfigError) as refused:
        load_stack_config(files.project, values, files.secret_keys)
    message = str(refused.value)
    assert "sophia-data-platfrom:embedding: unknown namespace 'sophia-data-platfrom'" in message
    assert f"{NS}embedding" in message and "60 MINUTES" not in message


def test_other_namespaces_belong_to_providers_and_are_left_alone() -> None:
    files = load_stack_files(PROJECT_DIR, "dev")
    values = {**files.values, "snowflake:previewFeaturesEnabled": "[]", "pulumi:tags": "{}"}
    assert load_stack_config(files.project, values, files.secret_keys)


@pytest.fixture
def clone_with_a_bad_catalog(tmp_path: Path) -> Path:
    """The project with one knowledge table's primary key naming a column it does not have."""
    for entry in PROJECT_DIR.iterdir():
        if entry.name not in {"build", ".git", "catalog"}:
            (tmp_path / entry.name).symlink_to(entry)
    shutil.copytree(PROJECT_DIR / "catalog", tmp_path / "catalog")
    declaration = tmp_path / "catalog" / "foundational_tables.py"
    text = declaration.read_text()
    assert text.count('"primary_key": ["EMPLOYEE_ID"]') == 1
    declaration.write_text(text.replace('"primary_key": ["EMPLOYEE_ID"]', '"primary_key": ["EMPLOYE_ID"]'))
    return tmp_path


def test_a_bad_catalog_is_bad_input_exit_2_without_a_traceback(clone_with_a_bad_catalog: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sophia", "plan", "dev"],
        cwd=clone_with_a_bad_catalog,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("invalid catalog\ncatalog/foundational_tables.py:")
    assert "EMPLOYE_ID" in result.stderr and "Traceback" not in result.stderr
