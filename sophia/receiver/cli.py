"""`sophia receiver serve` on the command line: the subcommand and its options, registered without importing
the server, so other `sophia` commands start as fast as before."""

import argparse
from pathlib import Path

from sophia.receiver.airbyte_env import AIRBYTE_CLIENT_ID_ENV, AIRBYTE_CLIENT_SECRET_ENV, AIRBYTE_TOKEN_ENV
from sophia.receiver.snowflake_key import PASSPHRASE_ENV
from sophia.receiver.tokens import TOKENS_ENV

DEFAULT_MAX_BODY_BYTES = 64 * 1024  # a sync webhook is a few KiB; a long failure message still fits


COMMAND = "receiver"
# The command's name before it took the receiver's word: deployed images, scripts and runbooks still say it.
OLD_COMMAND = "hooks"


def add_receiver_command(subparsers: argparse._SubParsersAction) -> None:
    """Registers `receiver serve` (and its old spelling, `hooks serve`) on the `sophia` command; it runs as
    `args.run(args, out, err) -> int`."""
    receiver = subparsers.add_parser(
        COMMAND,
        aliases=[OLD_COMMAND],
        help="the webhook receiver (also `hooks`)",
        description=f"The webhook receiver; `sophia {OLD_COMMAND}` is the same command by its old name.",
    )
    serve = receiver.add_subparsers(dest="receiver_command", required=True).add_parser(
        "serve",
        help="receive Airbyte's sync webhooks and trigger each source's gate task",
        description=(
            "Receives Airbyte's sync-success webhook on POST /airbyte/<token> and runs EXECUTE TASK on the "
            "connection's gate task, once per Airbyte job that Airbyte's API confirms. Token(s): "
            f"${TOKENS_ENV} or --token-file; private-key passphrase, if any: ${PASSPHRASE_ENV}; Airbyte API: "
            f"${AIRBYTE_TOKEN_ENV}, or ${AIRBYTE_CLIENT_ID_ENV} and ${AIRBYTE_CLIENT_SECRET_ENV}."
        ),
    )
    source = serve.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--triggers",
        type=Path,
        help="`pulumi stack output --json` of the stack, or its `pulumi stack export` (promotion_triggers)",
    )
    source.add_argument(
        "--stack",
        type=_offline_export,
        dest="triggers",
        metavar="STACK",
        help="the offline plan's build/<STACK>/stack.json (`sophia plan STACK` writes it): for a --dry-run",
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
    serve.add_argument(
        "--airbyte-url",
        required=True,
        help="Airbyte's public API, e.g. https://airbyte.example.com/api/public/v1, to confirm each job",
    )
    serve.add_argument("--airbyte-timeout", type=int, default=10, help="seconds per Airbyte request")
    serve.add_argument("--snowflake-account", help="account identifier, <org>-<account>")
    serve.add_argument("--snowflake-user", help="the receiver's service user")
    serve.add_argument("--snowflake-role", help="its role, which may only operate the gate tasks")
    serve.add_argument("--snowflake-private-key-file", type=Path, help="the service user's RSA key (PEM)")
    serve.add_argument("--snowflake-host", help="endpoint host, only for private connectivity")
    serve.add_argument("--snowflake-timeout", type=int, default=10, help="seconds per Snowflake wait")
    serve.set_defaults(run=run_serve)


def _offline_export(stack: str) -> Path:
    """`--stack dev` is `--triggers build/dev/stack.json`: the export `sophia plan dev` writes."""
    return Path("build") / stack / "stack.json"


def run_serve(args: argparse.Namespace, out: object = None, err: object = None) -> int:
    """Serves until stopped: exit 0, or 2 on bad input; it logs JSON lines, so the consoles go unused."""
    # Imported here: uvicorn, Starlette and the Snowflake connector take half a second to load.
    from sophia.receiver.serve import serve_command

    return serve_command(args)
