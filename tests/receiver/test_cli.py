"""`sophia receiver serve`: registration on the sophia command and exit 2 on bad input, before serving."""

import argparse
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sophia.receiver.airbyte_env import AIRBYTE_CLIENT_ID_ENV, AIRBYTE_CLIENT_SECRET_ENV, AIRBYTE_TOKEN_ENV
from sophia.receiver.cli import add_receiver_command, run_serve
from sophia.receiver.serve import EXIT_INVALID, serve_command
from sophia.receiver.tokens import TOKENS_ENV
from sophia.receiver.triggers import TriggersFileError, load_triggers
from tests.receiver.conftest import AIRBYTE_BEARER, new_token

# Nothing listens there: the checks at start-up never call Airbyte.
AIRBYTE_URL = ("--airbyte-url", "http://127.0.0.1:9/v1")


def write_private_key(path: Path) -> Path:
    """An unencrypted RSA key in PKCS#8 PEM, as the service user's key file would be."""
    path.write_bytes(
        rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return path


def sophia_args(*argv: str) -> argparse.Namespace:
    """Parses argv as the `sophia` command will, with `receiver` registered the way the CLI registers it."""
    parser = argparse.ArgumentParser(prog="sophia")
    add_receiver_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_receiver_serve_registers_on_the_sophia_command(triggers_file):
    args = sophia_args("receiver", "serve", "--triggers", str(triggers_file), *AIRBYTE_URL, "--dry-run")
    assert args.run is run_serve
    assert (args.host, args.port, args.dry_run, args.ledger) == ("127.0.0.1", 8080, True, None)


def test_hooks_serve_is_the_same_command_by_its_old_name(triggers_file, capsys):
    """Deployed images, scripts and runbooks say `sophia hooks serve`: it parses to the same command."""
    argv = ("serve", "--triggers", str(triggers_file), *AIRBYTE_URL, "--port", "9", "--dry-run")
    old, new = sophia_args("hooks", *argv), sophia_args("receiver", *argv)
    assert old.run is new.run is run_serve
    assert {**vars(old), "command": None} == {**vars(new), "command": None}
    with pytest.raises(SystemExit):
        sophia_args("hook", *argv)
    assert "invalid choice: 'hook'" in capsys.readouterr().err


def test_the_stack_export_is_a_triggers_file(dev_export):
    """The offline plan's export holds promotion_triggers on its root stack resource, as `pulumi stack export` does."""
    triggers = load_triggers(dev_export)
    assert sorted(triggers.values()) == [
        f"SOPHIA_AI_DEV.SOPHIA_OPS.QUALITY_GATE_{source}_TASK" for source in ("GONG", "HUBSPOT", "SLACK")
    ]


def test_an_export_without_promotion_triggers_says_so(dev_export, tmp_path):
    document = json.loads(dev_export.read_text())
    document["deployment"]["resources"][0]["outputs"].pop("promotion_triggers")
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(document))
    with pytest.raises(TriggersFileError, match="has no 'promotion_triggers' key"):
        load_triggers(path)


def test_stack_names_the_offline_export_and_excludes_triggers(triggers_file, capsys):
    assert sophia_args("receiver", "serve", "--stack", "dev", *AIRBYTE_URL, "--dry-run").triggers == Path(
        "build/dev/stack.json"
    )
    with pytest.raises(SystemExit) as refused:
        sophia_args("receiver", "serve", "--stack", "dev", "--triggers", str(triggers_file), *AIRBYTE_URL)
    assert refused.value.code == EXIT_INVALID
    assert "--triggers: not allowed with argument --stack" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        sophia_args("receiver", "serve", *AIRBYTE_URL, "--dry-run")
    assert "one of the arguments --triggers --stack is required" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "environ", "message"),
    [
        ([], {}, f"exactly one of ${TOKENS_ENV} or --token-file"),
        ([], {TOKENS_ENV: "too-short"}, "token 1 (9 characters, not shown)"),
        (
            [],
            {TOKENS_ENV: "TOKEN"},
            "without --dry-run these are required: --snowflake-account, --snowflake-user, --snowflake-role, "
            "--snowflake-private-key-file",
        ),
        (
            ["--snowflake-account", "my org", "--snowflake-user", "U", "--snowflake-role", "R"],
            {TOKENS_ENV: "TOKEN"},
            "--snowflake-private-key-file",
        ),
        (
            ["--dry-run", "--max-body-bytes", "10"],
            {TOKENS_ENV: "TOKEN"},
            "--max-body-bytes: given 10; allowed",
        ),
        (["--dry-run", "--tls-cert", "c.pem"], {TOKENS_ENV: "TOKEN"}, "--tls-cert and --tls-key go together"),
        (
            ["--dry-run", "--ledger", "l.jsonl"],
            {TOKENS_ENV: "TOKEN"},
            "--ledger with --dry-run would record jobs",
        ),
    ],
)
def test_bad_input_exits_2_naming_what_is_wrong(triggers_file, monkeypatch, capsys, extra, environ, message):
    token = new_token()
    monkeypatch.delenv(TOKENS_ENV, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, token if value == "TOKEN" else value)
    args = sophia_args("receiver", "serve", "--triggers", str(triggers_file), *AIRBYTE_URL, *extra)
    assert serve_command(args) == EXIT_INVALID
    error = capsys.readouterr().err
    assert message in error
    assert token not in error


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("--snowflake-account", "acct/../x", "an identifier such as myorg-myaccount"),
        ("--snowflake-user", "hooks_svc", "an upper-case identifier"),
        ("--snowflake-role", 'R" OR "1', "an upper-case identifier"),
    ],
)
def test_bad_snowflake_options_exit_2_with_the_value_and_what_is_allowed(
    triggers_file, tmp_path, monkeypatch, capsys, option, value, allowed
):
    monkeypatch.setenv(TOKENS_ENV, new_token())
    key = write_private_key(tmp_path / "key.p8")
    options = {
        "--snowflake-account": "myorg-myaccount",
        "--snowflake-user": "SOPHIA_AI_DEV_HOOKS_SVC",
        "--snowflake-role": "SOPHIA_AI_DEV_HOOKS_ROLE",
        option: value,
    }
    argv = [part for pair in options.items() for part in pair]
    args = sophia_args(
        "receiver",
        "serve",
        "--triggers",
        str(triggers_file),
        *AIRBYTE_URL,
        *argv,
        "--snowflake-private-key-file",
        str(key),
    )
    assert serve_command(args) == EXIT_INVALID
    assert f"{option}: given {value!r}; allowed: {allowed}" in capsys.readouterr().err


def test_a_bad_triggers_file_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(TOKENS_ENV, new_token())
    (tmp_path / "outputs.json").write_text(json.dumps({"promotion_triggers": {"gong": "A.B.C"}}))
    assert (
        serve_command(
            sophia_args(
                "receiver", "serve", "--triggers", str(tmp_path / "outputs.json"), *AIRBYTE_URL, "--dry-run"
            )
        )
        == 2
    )
    assert "promotion_triggers.gong.[key]: given 'gong'" in capsys.readouterr().err


def snowflake_argv(tmp_path: Path) -> list[str]:
    """Valid Snowflake options, the key written to `tmp_path`."""
    key = write_private_key(tmp_path / "key.p8")
    return [
        *("--snowflake-account", "myorg-myaccount", "--snowflake-user", "SOPHIA_AI_DEV_HOOKS_SVC"),
        *("--snowflake-role", "SOPHIA_AI_DEV_HOOKS_ROLE", "--snowflake-private-key-file", str(key)),
    ]


@pytest.mark.parametrize(
    ("url", "environ", "message"),
    [
        ("ftp://airbyte.example.com/v1", {AIRBYTE_TOKEN_ENV: "T"}, "--airbyte-url: given 'ftp://airbyte"),
        (
            "https://airbyte.example.com/v1",
            {},
            "Airbyte API credentials: given none; allowed: $SOPHIA_HOOKS_",
        ),
        (
            "https://airbyte.example.com/v1",
            {AIRBYTE_TOKEN_ENV: "T", AIRBYTE_CLIENT_SECRET_ENV: "S"},
            f"given ${AIRBYTE_TOKEN_ENV}, ${AIRBYTE_CLIENT_SECRET_ENV}; allowed",
        ),
        ("https://airbyte.example.com/v1", {AIRBYTE_CLIENT_ID_ENV: "I"}, f"given ${AIRBYTE_CLIENT_ID_ENV};"),
    ],
)
def test_bad_airbyte_access_exits_2_before_serving(
    triggers_file, tmp_path, monkeypatch, capsys, url, environ, message
):
    monkeypatch.setenv(TOKENS_ENV, new_token())
    for name in (AIRBYTE_TOKEN_ENV, AIRBYTE_CLIENT_ID_ENV, AIRBYTE_CLIENT_SECRET_ENV):
        monkeypatch.delenv(name, raising=False)
    secret = new_token()
    for name, value in environ.items():
        monkeypatch.setenv(name, secret + value)
    args = sophia_args(
        "receiver", "serve", "--triggers", str(triggers_file), "--airbyte-url", url, "--dry-run"
    )
    assert serve_command(args) == EXIT_INVALID
    error = capsys.readouterr().err
    assert message in error
    assert secret not in error


@pytest.mark.parametrize(
    "corrupt",
    [
        b"\xff\xfe\n",
        b'{"connection_id": "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", "job_id": 1, "task": "T", '
        b'"recorded_at": "2026-01-05T10:00:00"}\n',
    ],
)
def test_a_corrupt_ledger_exits_2_with_a_message_not_a_traceback(
    triggers_file, tmp_path, monkeypatch, capsys, corrupt
):
    monkeypatch.setenv(TOKENS_ENV, new_token())
    monkeypatch.setenv(AIRBYTE_TOKEN_ENV, AIRBYTE_BEARER)
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_bytes(corrupt)
    argv = [
        "--triggers",
        str(triggers_file),
        *AIRBYTE_URL,
        *snowflake_argv(tmp_path),
        "--ledger",
        str(ledger),
    ]
    assert serve_command(sophia_args("receiver", "serve", *argv)) == EXIT_INVALID
    error = capsys.readouterr().err
    assert f"sophia receiver serve: ledger {ledger} line 1 is not a record this receiver wrote" in error
    assert "Traceback" not in error
