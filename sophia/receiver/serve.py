"""Starts the receiver: every input checked first (exit 2 naming the bad one), then uvicorn until stopped."""

import argparse
import logging
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp

from models.identifiers import IDENTIFIER_PATTERN
from sophia.exits import EXIT_INVALID, EXIT_OK
from sophia.receiver.airbyte_env import AIRBYTE_CLIENT_ID_ENV, AIRBYTE_CLIENT_SECRET_ENV, AIRBYTE_TOKEN_ENV
from sophia.receiver.airbyte_jobs import AirbyteAccess, AirbyteJobs
from sophia.receiver.app import build_app
from sophia.receiver.executors import DryRunExecutor, Executor
from sophia.receiver.ledger import Ledger, LedgerError
from sophia.receiver.logs import configure_logging
from sophia.receiver.snowflake_executor import (
    PrivateKeyError,
    SnowflakeExecutor,
    SnowflakeSettings,
    load_private_key,
)
from sophia.receiver.snowflake_key import PASSPHRASE_ENV
from sophia.receiver.sync_handler import SyncHandler
from sophia.receiver.tokens import TokenError, load_tokens
from sophia.receiver.triggers import TriggersFileError, load_triggers

# Account identifiers are `<org>-<account>` or a locator with region; no quotes, slashes or spaces.
_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# At most this many requests at once; more get uvicorn's 503 rather than queueing without bound.
CONCURRENCY_LIMIT = 200


class ConfigError(ValueError):
    """A bad option or environment variable: the message names it, the value given and what is allowed."""


def serve_command(args: argparse.Namespace) -> int:
    """Checks every input, then serves until stopped; 2 when an input is bad."""
    try:
        check_options(args)
        tokens = load_tokens(os.environ, args.token_file)
        triggers = load_triggers(args.triggers)
        executor = build_executor(args, os.environ)
        access = airbyte_access(args, os.environ)
        ledger = Ledger(args.ledger)
    except (TokenError, TriggersFileError, PrivateKeyError, LedgerError, ConfigError) as error:
        print(f"sophia receiver serve: {error}", file=sys.stderr)
        return EXIT_INVALID
    secret_envs = (PASSPHRASE_ENV, AIRBYTE_TOKEN_ENV, AIRBYTE_CLIENT_SECRET_ENV)
    configure_logging([*tokens.secrets, *(os.environ.get(name, "") for name in secret_envs)])
    logging.getLogger("sophia.receiver").info(
        "receiver starting",
        extra={
            "fields": {
                "mode": "dry-run" if args.dry_run else "snowflake",
                "connections": len(triggers),
                "tokens": len(tokens.secrets),
                "ledger": str(args.ledger) if args.ledger else "memory",
                "ledger_jobs": len(ledger),
            }
        },
    )

    jobs = AirbyteJobs(access)

    def close() -> None:
        executor.close()
        jobs.close()

    app = build_app(SyncHandler(triggers, executor, ledger, jobs), tokens, args.max_body_bytes, close)
    uvicorn.Server(server_config(app, args.host, args.port, args.tls_cert, args.tls_key)).run()
    return EXIT_OK


def server_config(
    app: ASGIApp, host: str, port: int, tls_cert: Path | None = None, tls_key: Path | None = None
) -> uvicorn.Config:
    """uvicorn's settings for the receiver, shared by the command and the tests."""
    # uvicorn's access line prints the path, token included. `access_log=False` alone only removes its
    # handlers, and a handler added later (by a log shipper, or pytest) would bring it back.
    logging.getLogger("uvicorn.access").disabled = True
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # keep the JSON-lines logging configured by the command
        access_log=False,
        server_header=False,
        limit_concurrency=CONCURRENCY_LIMIT,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
    )


def check_options(args: argparse.Namespace) -> None:
    """The options that need no file or secret to check."""
    if args.max_body_bytes < 1024:
        raise ConfigError(f"--max-body-bytes: given {args.max_body_bytes}; allowed: 1024 or more")
    if args.dry_run and args.ledger is not None:
        raise ConfigError("--ledger with --dry-run would record jobs as triggered that never ran: drop one")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise ConfigError("--tls-cert and --tls-key go together: give both or neither")


def airbyte_access(args: argparse.Namespace, environ: Mapping[str, str]) -> AirbyteAccess:
    """The Airbyte API the receiver confirms jobs with: its URL from the options, credentials from the environment."""
    try:
        url = httpx.URL(args.airbyte_url)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(
            f"--airbyte-url: given {args.airbyte_url!r}; allowed: an http(s) URL of Airbyte's public API, "
            "such as https://airbyte.example.com/api/public/v1"
        )
    if args.airbyte_timeout < 1:
        raise ConfigError(f"--airbyte-timeout: given {args.airbyte_timeout}; allowed: 1 or more seconds")
    names = (AIRBYTE_TOKEN_ENV, AIRBYTE_CLIENT_ID_ENV, AIRBYTE_CLIENT_SECRET_ENV)
    given = [name for name in names if environ.get(name)]
    if given == [AIRBYTE_TOKEN_ENV]:
        credentials = {"bearer_token": environ[AIRBYTE_TOKEN_ENV]}
    elif given == [AIRBYTE_CLIENT_ID_ENV, AIRBYTE_CLIENT_SECRET_ENV]:
        credentials = {
            "client_id": environ[AIRBYTE_CLIENT_ID_ENV],
            "client_secret": environ[AIRBYTE_CLIENT_SECRET_ENV],
        }
    else:
        raise ConfigError(
            f"Airbyte API credentials: given {', '.join(f'${name}' for name in given) or 'none'}; allowed: "
            f"${AIRBYTE_TOKEN_ENV}, or ${AIRBYTE_CLIENT_ID_ENV} and ${AIRBYTE_CLIENT_SECRET_ENV}"
        )
    return AirbyteAccess(str(url).rstrip("/"), credentials, args.airbyte_timeout)


def build_executor(args: argparse.Namespace, environ: Mapping[str, str]) -> Executor:
    """The dry-run logger, or Snowflake as the service user once every connection option checks out."""
    if args.dry_run:
        return DryRunExecutor()
    options = {
        "--snowflake-account": args.snowflake_account,
        "--snowflake-user": args.snowflake_user,
        "--snowflake-role": args.snowflake_role,
        "--snowflake-private-key-file": args.snowflake_private_key_file,
    }
    missing = [name for name, value in options.items() if value is None]
    if missing:
        raise ConfigError(f"without --dry-run these are required: {', '.join(missing)}")
    if not _ACCOUNT.fullmatch(args.snowflake_account):
        raise ConfigError(
            f"--snowflake-account: given {args.snowflake_account!r}; allowed: an identifier such as myorg-myaccount"
        )
    for name in ("--snowflake-user", "--snowflake-role"):
        if not _IDENTIFIER.fullmatch(options[name]):
            raise ConfigError(
                f"{name}: given {options[name]!r}; allowed: an upper-case identifier ({IDENTIFIER_PATTERN})"
            )
    if args.snowflake_timeout < 1:
        raise ConfigError(f"--snowflake-timeout: given {args.snowflake_timeout}; allowed: 1 or more seconds")
    key = load_private_key(args.snowflake_private_key_file, environ.get(PASSPHRASE_ENV) or None)
    return SnowflakeExecutor(
        SnowflakeSettings(
            account=args.snowflake_account,
            user=args.snowflake_user,
            role=args.snowflake_role,
            private_key=key,
            timeout_s=args.snowflake_timeout,
            host=args.snowflake_host,
        )
    )
