"""The offline plan loads what it uses and no more: no SQL parser, no Airbyte SDK, no httpx command line.

Each is a fresh interpreter (a test process has loaded everything already). The SDK, and httpx with it
(whose command line brings click and pygments), belong where an HTTP request is made: the dynamic
provider's calls and the event receiver, never the declaration of the resources or the policy pack. Nor
does a plain plan load the work of the other commands: the destructive-change guard, the comparison with
an earlier export (`--against`) and the takeover report (an inventory) load only when asked for.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stack.airbyte.source_types import SyncMode
from tests.inventories import empty_inventory, write

REPO = Path(__file__).resolve().parent.parent
SDK = {"airbyte_api", "httpx", "click", "pygments"}
PARSER = {"sqlglot"}
# The other commands' work, which a plan neither adopting nor compared with an earlier export does not need.
OTHER_COMMANDS = {
    "offline.guard",
    "offline.guard_report",
    "offline.plan_diff",
    "offline.takeover",
    "sophia.commands",
    "sophia.new_stack",
}


def _loaded_after(code: str) -> set[str]:
    """Top-level packages a fresh interpreter holds after running `code` (which must not fail)."""
    return {module.partition(".")[0] for module in _modules_after(code)}


def _modules_after(code: str) -> set[str]:
    """Every module a fresh interpreter holds after running `code` (which must not fail)."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def command_loads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """What each offline command loads: the plan of each shipped stack, and the policy check of dev's export."""
    build = tmp_path_factory.mktemp("build")
    plan = "from sophia.cli import main\nassert main(['plan', '{stack}', '--build-dir', '{build}']) == 0"
    loads = {
        f"plan {stack}": _modules_after(plan.format(stack=stack, build=build)) for stack in ("dev", "prod")
    }
    check = (
        f"from sophia.cli import main\nassert main(['policy-check', '{build / 'dev' / 'stack.json'}']) == 0"
    )
    loads["policy-check"] = _modules_after(check)
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
    assert _packages(command_loads[command]) & PARSER == set()


@pytest.mark.parametrize("command", COMMANDS)
def test_no_airbyte_sdk_is_loaded(command_loads: dict[str, set[str]], command: str) -> None:
    assert _packages(command_loads[command]) & SDK == set()


@pytest.mark.parametrize("command", ["plan dev", "plan prod"])
def test_a_plain_plan_loads_no_other_commands_work(command_loads: dict[str, set[str]], command: str) -> None:
    assert command_loads[command] & OTHER_COMMANDS == set()


def test_a_plan_against_an_earlier_export_and_one_adopting_load_what_they_need(tmp_path: Path) -> None:
    # The deferred work still loads, and runs, where a plan asks for it.
    build = tmp_path / "build"
    first = f"from sophia.cli import main\nassert main(['plan', 'dev', '--build-dir', '{build}']) == 0"
    _modules_after(first)
    against = (
        f"from sophia.cli import main\n"
        f"assert main(['plan', 'dev', '--build-dir', '{build}', '--against', '{build / 'dev' / 'stack.json'}']) == 0"
    )
    assert "offline.plan_diff" in _modules_after(against)
    inventory = write(empty_inventory("SOPHIA_AI_DEV", "SOPHIA_AI_DEV"), tmp_path / "inventory.json")
    adopting = (
        f"from sophia.cli import main\n"
        f"assert main(['plan', 'dev', '--build-dir', '{build}', '--inventory', '{inventory}']) == 0"
    )
    assert {"offline.takeover", "offline.guard", "offline.guard_report"} <= _modules_after(adopting)
    assert (build / "dev" / "takeover.json").is_file()


def _packages(modules: set[str]) -> set[str]:
    return {module.partition(".")[0] for module in modules}


def test_the_sync_modes_are_the_sdks() -> None:
    from airbyte_api.models import ConnectionSyncModeEnum

    assert [(mode.name, mode.value) for mode in SyncMode] == [
        (m.name, m.value) for m in ConnectionSyncModeEnum
    ]
