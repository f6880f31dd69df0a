"""Snowflake as the receiver's service user: the real connector when Snowflake is unreachable, key loading,
and the reuse-and-reconnect logic."""

import socket
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from snowflake.connector.errors import OperationalError, ProgrammingError

from sophia.receiver.executors import SnowflakeUnavailable, StatementRefused
from sophia.receiver.snowflake_executor import (
    PrivateKeyError,
    SnowflakeExecutor,
    SnowflakeSettings,
    load_private_key,
)
from tests.receiver.conftest import GONG_CONNECTION, LOOPBACK, log_entries, running_receiver, sync_body

PASSPHRASE = "passphrase-for-the-test-key-3b1f"
STATEMENT = "EXECUTE TASK SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE"


@pytest.fixture(scope="module")
def rsa_key() -> RSAPrivateKey:
    """A throwaway service-user key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: Any, passphrase: str | None = None) -> bytes:
    """`key` as a PKCS#8 PEM file, encrypted when a passphrase is given."""
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def closed_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def unreachable(key: RSAPrivateKey) -> SnowflakeSettings:
    """Settings that send the real connector to a closed port on loopback, with the shortest waits."""
    return SnowflakeSettings(
        account="test-account",
        user="SOPHIA_AI_DEV_HOOKS_SVC",
        role="SOPHIA_AI_DEV_HOOKS_ROLE",
        private_key=key,
        timeout_s=1,
        host=LOOPBACK,
        port=closed_port(),
        protocol="http",
    )


def test_the_real_connector_against_a_closed_port_raises_unavailable(rsa_key):
    with pytest.raises(SnowflakeUnavailable, match=r"^OperationalError errno=250001"):
        SnowflakeExecutor(unreachable(rsa_key)).execute(STATEMENT)


def test_unreachable_snowflake_answers_503_records_nothing_and_logs_no_secret(rsa_key, tokens, log_lines):
    with running_receiver(SnowflakeExecutor(unreachable(rsa_key)), tokens) as receiver:
        response = receiver.post(sync_body(GONG_CONNECTION, 501))
        assert (response.status_code, response.json()) == (
            503,
            {"error": "Snowflake unavailable; job not triggered"},
        )
        assert len(receiver.ledger) == 0
    [line] = log_entries(log_lines)
    assert (line["status"], line["action"], line["job_id"]) == (503, "snowflake_unavailable", 501)
    assert line["error"].startswith("OperationalError errno=250001")
    everything = "\n".join(log_lines)
    key_body = pem(rsa_key).decode().splitlines()[1]
    assert tokens.secrets[0] not in everything
    assert key_body not in everything


def test_connect_arguments_sign_in_by_key_pair_with_bounded_waits(rsa_key):
    settings = SnowflakeSettings(
        account="myorg-myaccount", user="U", role="R", private_key=rsa_key, timeout_s=7
    )
    assert settings.connect_args() == {
        "account": "myorg-myaccount",
        "user": "U",
        "role": "R",
        "authenticator": "SNOWFLAKE_JWT",
        "private_key": rsa_key,
        "login_timeout": 7,
        "network_timeout": 7,
        "socket_timeout": 7,
        "client_session_keep_alive": True,
    }
    assert "private_key" not in repr(settings)


class FakeConnection:
    """A connection whose next statements raise the connector's real errors; for the executor's own logic."""

    def __init__(self, errors: list[Exception], ran: list[str]) -> None:
        self._errors, self._ran = errors, ran
        self.closed = False

    def cursor(self) -> "FakeConnection":
        return self

    def __enter__(self) -> "FakeConnection":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def execute(self, statement: str) -> None:
        if self._errors:
            raise self._errors.pop(0)
        self._ran.append(statement)

    def close(self) -> None:
        self.closed = True


class Connector:
    """`snowflake.connector.connect` replaced: counts sign-ins, hands out FakeConnections."""

    def __init__(self, errors: list[Exception] | None = None, refuse_sign_in: bool = False) -> None:
        self.errors = errors or []
        self.refuse_sign_in = refuse_sign_in
        self.connections: list[FakeConnection] = []
        self.ran: list[str] = []

    def __call__(self, **kwargs: Any) -> FakeConnection:
        if self.refuse_sign_in:
            raise OperationalError(msg="Could not connect to Snowflake backend", errno=250001)
        self.connections.append(FakeConnection(self.errors, self.ran))
        return self.connections[-1]


def executor_with(connector: Connector, rsa_key: RSAPrivateKey) -> SnowflakeExecutor:
    return SnowflakeExecutor(
        SnowflakeSettings(account="a", user="U", role="R", private_key=rsa_key), connect=connector
    )


def test_one_connection_serves_every_statement(rsa_key):
    connector = Connector()
    executor = executor_with(connector, rsa_key)
    executor.execute(STATEMENT)
    executor.execute(STATEMENT)
    assert (len(connector.connections), connector.ran) == (1, [STATEMENT, STATEMENT])


def test_a_reused_connection_that_broke_is_replaced_once_within_the_request(rsa_key):
    connector = Connector()
    executor = executor_with(connector, rsa_key)
    executor.execute(STATEMENT)
    connector.errors.append(OperationalError(msg="connection reset", errno=253003))
    executor.execute(STATEMENT)
    assert len(connector.connections) == 2
    assert connector.connections[0].closed
    assert connector.ran == [STATEMENT, STATEMENT]


def test_a_fresh_connection_that_fails_is_not_retried(rsa_key):
    connector = Connector([OperationalError(msg="connection reset", errno=253003)])
    with pytest.raises(SnowflakeUnavailable, match="errno=253003"):
        executor_with(connector, rsa_key).execute(STATEMENT)
    assert (len(connector.connections), connector.ran) == (1, [])


def test_a_refused_sign_in_is_unavailable(rsa_key):
    with pytest.raises(SnowflakeUnavailable, match="errno=250001"):
        executor_with(Connector(refuse_sign_in=True), rsa_key).execute(STATEMENT)


def test_a_refused_statement_carries_snowflakes_message_and_the_next_call_signs_in_again(rsa_key):
    refusal = ProgrammingError(
        msg="Insufficient privileges to operate on task 'GONG_QUALITY_GATE'", errno=3001, sqlstate="42501"
    )
    connector = Connector([refusal])
    executor = executor_with(connector, rsa_key)
    with pytest.raises(StatementRefused, match="errno=3001 sqlstate=42501: Insufficient privileges"):
        executor.execute(STATEMENT)
    executor.execute(STATEMENT)
    assert len(connector.connections) == 2
    assert connector.ran == [STATEMENT]


def test_close_releases_the_connection(rsa_key):
    connector = Connector()
    executor = executor_with(connector, rsa_key)
    executor.execute(STATEMENT)
    executor.close()
    assert connector.connections[0].closed


def test_an_unencrypted_pkcs8_key_loads(tmp_path, rsa_key):
    (tmp_path / "key.p8").write_bytes(pem(rsa_key))
    loaded = load_private_key(tmp_path / "key.p8", None)
    assert loaded.private_numbers() == rsa_key.private_numbers()


def test_an_encrypted_key_loads_with_its_passphrase(tmp_path, rsa_key):
    (tmp_path / "key.p8").write_bytes(pem(rsa_key, PASSPHRASE))
    assert load_private_key(tmp_path / "key.p8", PASSPHRASE).private_numbers() == rsa_key.private_numbers()


@pytest.mark.parametrize("passphrase", [None, "not-the-passphrase"])
def test_an_encrypted_key_without_its_passphrase_is_refused_without_showing_it(tmp_path, rsa_key, passphrase):
    key_file = tmp_path / "key.p8"
    key_file.write_bytes(pem(rsa_key, PASSPHRASE))
    with pytest.raises(
        PrivateKeyError, match="not a PEM private key readable with the given passphrase"
    ) as error:
        load_private_key(key_file, passphrase)
    assert PASSPHRASE not in str(error.value)
    assert key_file.read_text().splitlines()[1] not in str(error.value)


def test_a_key_that_is_not_rsa_is_refused(tmp_path):
    (tmp_path / "key.p8").write_bytes(pem(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(PrivateKeyError, match="needs an RSA key"):
        load_private_key(tmp_path / "key.p8", None)


def test_a_missing_key_file_is_refused(tmp_path: Path):
    with pytest.raises(PrivateKeyError, match="cannot read private key file"):
        load_private_key(tmp_path / "absent.p8", None)
