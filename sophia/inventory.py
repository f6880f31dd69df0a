"""`sophia inventory STACK --output FILE`: records what the account and the Airbyte workspace hold, read-only."""

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import snowflake.connector
from rich.console import Console

from models.inventory import FORMAT_NAME, FORMAT_VERSION, Inventory, account_fingerprint
from offline.stack_files import StackFileError, load_stack_files
from sophia.exits import EXIT_OK, invalid
from sophia.inventory_read import Execute, cursor_execute, read_airbyte, read_snowflake
from stack.config import StackConfig
from stack.loader import ConfigError, load_stack_config

# The variables pulumi-snowflake itself reads, so `esc run <env> -- sophia inventory` signs in as the
# stack's providers do; the role is the read-only one docs/adopting.md describes.
SNOWFLAKE_ENV = ("SNOWFLAKE_ORGANIZATION_NAME", "SNOWFLAKE_ACCOUNT_NAME", "SNOWFLAKE_USER", "SNOWFLAKE_ROLE")


class InventoryInputError(Exception):
    """What stops an inventory: a missing variable, a refused statement; never a credential's value."""


@contextmanager
def snowflake_session(env: Mapping[str, str]) -> Iterator[Execute]:
    """A read-only session as the variables name it: a programmatic access token or a key pair."""
    missing = [name for name in SNOWFLAKE_ENV if not env.get(name)]
    if not (env.get("SNOWFLAKE_TOKEN") or env.get("SNOWFLAKE_PRIVATE_KEY")):
        missing.append("SNOWFLAKE_TOKEN or SNOWFLAKE_PRIVATE_KEY")
    if missing:
        raise InventoryInputError(
            f"set {', '.join(missing)} (for example with `esc run <environment> -- ...`)"
        )
    account = f"{env['SNOWFLAKE_ORGANIZATION_NAME']}-{env['SNOWFLAKE_ACCOUNT_NAME']}"
    secret: dict[str, Any] = (
        {"authenticator": "PROGRAMMATIC_ACCESS_TOKEN", "token": env["SNOWFLAKE_TOKEN"]}
        if env.get("SNOWFLAKE_TOKEN")
        else {"authenticator": "SNOWFLAKE_JWT", "private_key": env["SNOWFLAKE_PRIVATE_KEY"].encode()}
    )
    connection = snowflake.connector.connect(
        account=account, user=env["SNOWFLAKE_USER"], role=env["SNOWFLAKE_ROLE"], **secret
    )
    try:
        yield cursor_execute(connection.cursor())
    finally:
        connection.close()


def airbyte_client(config: StackConfig, env: Mapping[str, str]) -> httpx.Client | None:
    """A client of the stack's Airbyte API, signed in by bearer token or by the application's client credentials."""
    if config.airbyte is None:
        return None
    url = env.get("AIRBYTE_API_URL") or config.airbyte.api_url
    if token := env.get("AIRBYTE_BEARER_TOKEN"):
        return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if not (env.get("AIRBYTE_CLIENT_ID") and env.get("AIRBYTE_CLIENT_SECRET")):
        raise InventoryInputError("set AIRBYTE_BEARER_TOKEN, or AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET")
    form = {
        "grant_type": "client_credentials",
        "client_id": env["AIRBYTE_CLIENT_ID"],
        "client_secret": env["AIRBYTE_CLIENT_SECRET"],
    }
    token_response = httpx.post(f"{url.rstrip('/')}/applications/token", data=form, timeout=30)
    token_response.raise_for_status()
    token = token_response.json()["access_token"]
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def take_inventory(
    config: StackConfig, execute: Execute, client: httpx.Client | None, env: Mapping[str, str]
) -> dict[str, Any]:
    """The inventory document, validated against the format before it is written."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "takenAt": datetime.now(UTC).isoformat(),
        "accountFingerprint": account_fingerprint(
            env["SNOWFLAKE_ORGANIZATION_NAME"], env["SNOWFLAKE_ACCOUNT_NAME"]
        ),
        "database": config.database.name,
        "namePrefix": config.name_prefix,
        "snowflake": read_snowflake(execute, config.database.name, config.name_prefix),
        "airbyte": read_airbyte(client, config.airbyte.workspace_id) if client and config.airbyte else None,
    }
    Inventory.model_validate(document)
    return document


Session = Callable[[Mapping[str, str]], Any]


def inventory(
    project_dir: Path,
    stack: str,
    output: Path,
    out: Console,
    err: Console,
    session: Session = snowflake_session,
) -> int:
    """Reads the account and the workspace as the stack names them and writes the inventory file."""
    env = dict(os.environ)
    try:
        files = load_stack_files(project_dir, stack)
        config = load_stack_config(files.project, files.values, files.secret_keys)
        client = airbyte_client(config, env)
        with session(env) as execute:
            document = take_inventory(config, execute, client, env)
    except (StackFileError, ConfigError, InventoryInputError) as error:
        return invalid(err, f"cannot take the inventory of {stack}", error)
    except httpx.HTTPError as error:
        return invalid(err, f"cannot list the Airbyte workspace of {stack}", error)
    except Exception as error:  # the connector's errors: a refused SHOW names the statement, not a secret
        if type(error).__module__.startswith("snowflake.connector"):
            return invalid(err, f"Snowflake refused a SHOW for {stack}", error)
        raise
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2) + "\n")
    counts = ", ".join(f"{len(rows)} {kind}" for kind, rows in document["snowflake"].items() if rows)
    out.out(
        f"inventory of {stack}: {counts or 'nothing in the namespace'}\nwritten to {output}", highlight=False
    )
    return EXIT_OK
