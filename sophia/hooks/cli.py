"""`sophia hooks serve`: its options, start-up checks (exit 2 on bad input) and the uvicorn server."""

import argparse
import logging
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from components.identifiers import IDENTIFIER_PATTERN
from sophia.hooks.app import build_app
from sophia.hooks.executors import DryRunExecutor, Executor
from sophia.hooks.ledger import Ledger, LedgerError
from sophia.hooks.logs import configure_logging
from sophia.hooks.promotion import Promoter
from sophia.hooks.snowflake_executor import (
    PrivateKeyError,
    SnowflakeExecutor,
    SnowflakeSettings,
    load_private_key,
)
from sophia.hooks.tokens import TOKENS_ENV, TokenError, load_tokens
from sophia.hooks.triggers import TriggersFileError, load_triggers

EXIT_OK, EXIT_INVALID = 0, 2
PASSPHRASE_ENV = "SOPHIA_HOOKS_PRIVATE_KEY_PASSPHRASE"
DEFAULT_MAX_BODY_BYTES = 64 * 1024  # a sync webhook is a few KiB; a long failure message still fits
# Account identifiers are `<org>-<account>` or a locator with region; no quotes, slashes or spaces.
_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# At most this many requests at once; more get uvicorn's 503 rather than queueing without bound.
CONCURRENCY_LIMIT = 200


class ConfigError(ValueError):
    """A bad option or environment variable: the message names it, the value given and what is allowed."""


def add_hooks_command(subparsers: argparse._SubParsersAction) -> None:
    """Registers `hooks serve` on the `sophia` command; the chosen handler is `args.handler(args) -> int`."""
    hooks = subparsers.add_parser("hooks", help="event receivers", description="Event receivers.")
    add_serve_command(hooks.add_subparsers(dest="hooks_command", required=True))


def add_serve_command(subparsers: argparse._SubParsersAction) -> None:
    """Registers `serve` with its options; `python -m sophia.hooks serve` uses it directly."""
    serve = subparsers.add_parser(
        "serve",
        help="receive Airbyte's sync webhooks and trigger each source's gate task",
        description=(
            "Receives Airbyte's sync-success webhook on POST /airbyte/<token> and runs EXECUTE TASK on the "
            f"connection's gate task, once per Airbyte job. Token(s): ${TOKENS_ENV} or --token-file; "
            f"private-key passphrase, if any: ${PASSPHRASE_ENV}."
        ),
    )
    serve.add_argument(
        "--triggers",
        type=Path,
        required=True,
        help="`pulumi stack output --json` of the stack (its promotion_triggers output)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    serve.add_argument("--token-file", type=Path, help=f"file with the token(s), instead of ${TOKENS_ENV}")
    serve.add_argument(
        "--ledger",
        type=Path,
        help="JSON-lines file of triggered jobs, kept across restarts (default: memory)",
    )
    serve.add_argument(
        "--dry-run", action="store_true", help="log the statements instead of running them; no Snowflake"
    )
    serve.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    serve.add_argument("--tls-cert", type=Path, help="serve HTTPS with this certificate chain (PEM)")
    serve.add_argument("--tls-key", type=Path, help="and this key; without both, plain HTTP behind a proxy")
    serve.add_argument("--snowflake-account", help="account identifier, <org>-<account>")
    serve.add_argument("--snowflake-user", help="the receiver's service user")
    serve.add_argument("--snowflake-role", help="its role, which may only operate the gate tasks")
    serve.add_argument("--snowflake-private-key-file", type=Path, help="the service user's RSA key (PEM)")
    serve.add_argument("--snowflake-host", help="endpoint host, only for private connectivity")
    serve.add_argument("--snowflake-timeout", type=int, default=10, help="seconds per Snowflake wait")
    serve.set_defaults(handler=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    """Checks every input, then serves until stopped; 2 when an input is bad."""
    try:
        tokens = load_tokens(os.environ, args.token_file)
        triggers = load_triggers(args.triggers)
        executor = build_executor(args, os.environ)
        ledger = Ledger(args.ledger)
        if args.max_body_bytes < 1024:
            raise ConfigError(f"--max-body-bytes: given {args.max_body_bytes}; allowed: 1024 or more")
        if (args.tls_cert is None) != (args.tls_key is None):
            raise ConfigError("--tls-cert and --tls-key go together: give both or neither")
    except (TokenError, TriggersFileError, PrivateKeyError, LedgerError, ConfigError) as error:
        print(f"sophia hooks serve: {error}", file=sys.stderr)
        return EXIT_INVALID
    configure_logging([*tokens.secrets, os.environ.get(PASSPHRASE_ENV, "")])
    logging.getLogger("sophia.hooks").info(
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
    app = build_app(Promoter(triggers, executor, ledger), tokens, args.max_body_bytes, executor.close)
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
