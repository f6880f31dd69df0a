"""The offline plan loads what it uses and no more: no SQL parser, no Airbyte SDK, no httpx command line.

Each is a fresh interpreter (a test process has loaded everything already). The SDK, and httpx with it
(whose command line brings click and pygments), belong where an HTTP request is made: the dynamic
provider's calls and the event receiver, never the declaration of the resources or the policy pack.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stack.airbyte.source_types import SyncMode

REPO = Path(__file__).resolve().parent.parent
SDK = {"airbyte_api", "httpx", "click", "pygments"}
PARSER = {"sqlglot"}


def _loaded_after(code: str) -> set[str]:
    """Top-level packages a fresh interpreter holds after running `code` (which must not fail)."""
    probe = (
        f"import json, sys\n{code}\nprint(json.dumps(sorted({{m.partition('.')[0] for m in sys.modules}})))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def command_loads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """What each offline command loads: the plan of each shipped stack, and the policy check of dev's export."""
    build = tmp_path_factory.mktemp("build")
    plan = "from sophia.cli import main\nassert main(['plan', '{stack}', '--build-dir', '{build}']) == 0"
    loads = {
        f"plan {stack}": _loaded_after(plan.format(stack=stack, build=build)) for stack in ("dev", "prod")
    }
    check = (
        f"from sophia.cli import main\nassert main(['policy-check', '{build / 'dev' / 'stack.json'}']) == 0"
    )
    loads["policy-check"] = _loaded_after(check)
    return loads


def test_declaring_the_platform_and_its_checks_loads_no_sdk() -> None:
    # Every module a plan imports to declare resources (the Airbyte ones included) and to check them.
    code = (
        "import components.platform, components.airbyte.resources, sophia.commands, policies.sophia_policies"
    )
    assert _loaded_after(code) & (SDK | PARSER) == set()


COMMANDS = ["plan dev", "plan prod", "policy-check"]


@pytest.mark.parametrize("command", COMMANDS)
def test_no_sql_parser_is_loaded(command_loads: dict[str, set[str]], command: str) -> None:
    assert command_loads[command] & PARSER == set()


@pytest.mark.parametrize("command", COMMANDS)
def test_no_airbyte_sdk_is_loaded(command_loads: dict[str, set[str]], command: str) -> None:
    assert command_loads[command] & SDK == set()


def test_the_sync_modes_are_the_sdks() -> None:
    from airbyte_api.models import ConnectionSyncModeEnum

    assert [(mode.name, mode.value) for mode in SyncMode] == [
        (m.name, m.value) for m in ConnectionSyncModeEnum
    ]
