"""Reads the inventory a stack adopts from (`adoptFrom`), refusing one that is malformed or not this stack's."""

import json
from pathlib import Path

from pydantic import ValidationError

from models.inventory import Inventory, account_fingerprint
from models.validation import explain
from stack.config import StackConfig
from stack.loader import ConfigError

ADOPT_KEY = "adoptFrom"


class InventoryError(ValueError):
    """An inventory that cannot be read or used; the message names what is wrong, never a secret."""


def read_inventory(path: Path) -> Inventory:
    """The inventory file at `path`, validated against the version 1 format (docs/adopting.md)."""
    try:
        data = json.loads(path.read_text())
    except OSError as error:
        raise InventoryError(f"{path}: cannot be read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise InventoryError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from None
    try:
        return Inventory.model_validate(data)
    except ValidationError as error:
        raise InventoryError(f"{path}: {explain(error, show_input=False)}") from None


def check_for_stack(inventory: Inventory, config: StackConfig) -> None:
    """Refuses an inventory taken in another account, or of another database or name prefix."""
    account = config.snowflake_account
    if inventory.account_fingerprint != account_fingerprint(account.organization_name, account.account_name):
        raise InventoryError(
            "was taken in another account than snowflakeAccount names (account names not shown); "
            "take the inventory with this stack: sophia inventory STACK --output FILE"
        )
    for field, given, wanted in (
        ("database", inventory.database, config.database.name),
        ("namePrefix", inventory.name_prefix, config.name_prefix),
    ):
        if given != wanted:
            raise InventoryError(f"{field} is {given!r}, but the stack's {field} is {wanted!r}")


def load_adoption(config: StackConfig, project: str, base: Path = Path(".")) -> Inventory | None:
    """The stack's inventory when it names one, checked; a ConfigError naming the key otherwise."""
    if config.adopt_from is None:
        return None
    path = base / config.adopt_from
    try:
        inventory = read_inventory(path)
        check_for_stack(inventory, config)
    except InventoryError as error:
        raise ConfigError(f"{project}:{ADOPT_KEY}: the inventory {error}") from None
    return inventory
