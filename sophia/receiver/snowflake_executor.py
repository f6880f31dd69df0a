"""Runs statements in Snowflake as the receiver's own service user (key pair), over one reused connection."""

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import snowflake.connector
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from snowflake.connector.errors import Error, ProgrammingError

from sophia.receiver.executors import SnowflakeUnavailable, StatementRefused


class PrivateKeyError(ValueError):
    """The service user's private key file cannot be used; the message never contains key material."""


@dataclass(frozen=True)
class SnowflakeSettings:
    """Who the receiver signs in as and how long it waits; `host` only for a private-link or test endpoint."""

    account: str
    user: str
    role: str
    private_key: RSAPrivateKey = field(repr=False)
    timeout_s: int = 10
    host: str | None = None
    port: int = 443
    protocol: str = "https"

    def connect_args(self) -> dict[str, Any]:
        """Keyword arguments for `snowflake.connector.connect`."""
        endpoint = {"host": self.host, "port": self.port, "protocol": self.protocol} if self.host else {}
        return {
            "account": self.account,
            "user": self.user,
            "role": self.role,
            "authenticator": "SNOWFLAKE_JWT",
            "private_key": self.private_key,
            # Bounded waits: Airbyte's webhook client sets no timeout of its own, so ours are the only ones.
            "login_timeout": self.timeout_s,
            "network_timeout": self.timeout_s,
            "socket_timeout": self.timeout_s,
            # Heartbeats keep an idle session from expiring between hourly syncs.
            "client_session_keep_alive": True,
            **endpoint,
        }


def load_private_key(path: Path, passphrase: str | None) -> RSAPrivateKey:
    """The service user's RSA key from a PEM file (PKCS#8, encrypted when a passphrase is given)."""
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise PrivateKeyError(f"cannot read private key file {path}: {error.strerror}") from error
    try:
        key = serialization.load_pem_private_key(pem, passphrase.encode() if passphrase else None)
    except (ValueError, TypeError) as error:
        raise PrivateKeyError(
            f"{path} is not a PEM private key readable with the given passphrase ({type(error).__name__})"
        ) from error
    if not isinstance(key, RSAPrivateKey):
        raise PrivateKeyError(
            f"{path} holds a {type(key).__name__}; Snowflake key-pair auth needs an RSA key"
        )
    return key


class SnowflakeExecutor:
    """One connection, opened on first use, reused, and opened again after a failure."""

    def __init__(
        self, settings: SnowflakeSettings, connect: Callable[..., Any] = snowflake.connector.connect
    ) -> None:
        self._settings = settings
        self._connect = connect
        self._connection: Any = None
        self._lock = threading.Lock()

    def execute(self, statement: str) -> None:
        """Runs `statement`; a reused connection that fails is replaced once before giving up."""
        with self._lock:
            reused = self._connection is not None
            try:
                self._run(statement)
            except SnowflakeUnavailable:
                if not reused:
                    raise
                self._run(statement)

    def close(self) -> None:
        """Closes the connection, if one is open."""
        with self._lock:
            self._drop()

    def _run(self, statement: str) -> None:
        connection = self._connected()
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        except ProgrammingError as error:
            # Compiled and refused. The session may be the cause (an expired one), so start afresh next time.
            self._drop()
            raise StatementRefused(_describe(error)) from error
        except Error as error:
            self._drop()
            raise SnowflakeUnavailable(_describe(error)) from error

    def _connected(self) -> Any:
        if self._connection is None:
            try:
                self._connection = self._connect(**self._settings.connect_args())
            except Error as error:
                raise SnowflakeUnavailable(_describe(error)) from error
        return self._connection

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Error):  # already broken: nothing left to release
                connection.close()


def _describe(error: Error) -> str:
    """The error's kind and codes for the log; Snowflake's own message only for refused statements."""
    codes = f"{type(error).__name__} errno={error.errno} sqlstate={error.sqlstate}"
    return f"{codes}: {error.raw_msg}" if isinstance(error, ProgrammingError) else codes
