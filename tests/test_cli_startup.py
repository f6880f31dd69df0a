"""`sophia --help` answers from the parser alone: none of Pulumi, the policy pack or the engine is loaded for it."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("pulumi", "pulumi_snowflake", "pulumi_policy", "airbyte_api", "pydantic", "yaml", "rich", "sqlglot")


def _loaded_after(code: str) -> set[str]:
    probe = (
        f"import json, sys\n{code}\nprint(json.dumps(sorted({{m.partition('.')[0] for m in sys.modules}})))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_loads_nothing_heavy() -> None:
    code = (
        "from sophia.cli import main\n"
        "for argv in (['--help'], ['plan', '--help'], ['guard', '--help'], ['hooks', '--help'], ['receiver', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit as done:\n"
        "        assert done.code == 0, argv\n"
    )
    assert _loaded_after(code) & set(HEAVY) == set()


def test_the_commands_are_still_importable_from_the_cli_module() -> None:
    from sophia import cli, commands

    assert (cli.plan, cli.policy_check, cli.guard) == (commands.plan, commands.policy_check, commands.guard)
