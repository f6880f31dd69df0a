"""A one-shot command run as the process's own runs no collection, not even the exit's; a caller's keeps its own."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
from sophia.cli import main
in_process = main({argv!r})                         # called with arguments, as tests and tools do
after_call = gc.get_freeze_count(), gc.isenabled(), ",".join(map(str, gc.get_threshold()))
sys.argv = ["sophia", *{argv!r}]
as_command = main()                                  # the console script: the process ends with the command
print(in_process, *after_call, as_command, gc.get_freeze_count() > 0, gc.isenabled())
"""


def _probe(argv: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)], cwd=REPO, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_a_batch_command_stops_the_collector_and_freezes_only_when_it_is_the_process_command() -> None:
    # A stack that does not exist: the plan command ends early (bad input) without any resource.
    assert _probe(["plan", "no-such-stack"]) == ["2", "0", "True", "700,10,10", "2", "True", "False"]


def test_a_command_that_is_not_one_shot_work_never_freezes(tmp_path: Path) -> None:
    out = tmp_path / "policy.json"
    assert _probe(["policy-config", "no-such-stack", "--out", str(out)]) == [
        "2",
        "0",
        "True",
        "700,10,10",
        "2",
        "False",
        "True",
    ]


def test_a_plan_reads_its_program_frozen_and_hands_the_caller_a_thawed_heap(
    monkeypatch, tmp_path: Path
) -> None:
    """The check runs with the program's objects frozen (spared the collector's passes); the caller gets them back."""
    import gc
    import io

    from rich.console import Console

    from offline.ci_formats import ReportFormat
    from sophia import plan_command

    frozen_during_check: list[int] = []
    real_check = plan_command.check

    def check(*args: object) -> object:
        frozen_during_check.append(gc.get_freeze_count())
        return real_check(*args)

    monkeypatch.setattr(plan_command, "check", check)
    quiet = Console(file=io.StringIO())
    assert plan_command.plan(REPO, "dev", tmp_path, ReportFormat.TEXT, quiet, quiet) == 0
    assert frozen_during_check[0] > 100_000 and gc.get_freeze_count() == 0
    # A caller that froze objects of its own gets them back frozen, neither thawed nor added to.
    gc.freeze()
    try:
        mine = gc.get_freeze_count()
        assert plan_command.plan(REPO, "dev", tmp_path, ReportFormat.TEXT, quiet, quiet) == 0
        # (Frozen objects may still be freed by reference counting: the count can fall, never rise.)
        assert frozen_during_check[1] <= mine and 0 < gc.get_freeze_count() <= mine
    finally:
        gc.unfreeze()


def test_a_command_that_raises_still_hands_the_caller_its_collector_back(monkeypatch) -> None:
    import gc
    import types

    import pytest

    from sophia import cli

    def plan(*args: object, **kwargs: object) -> int:
        assert gc.get_threshold() == cli.BATCH_GC_THRESHOLD  # the command's own settings while it runs
        raise RuntimeError("a fault mid-way")

    monkeypatch.setattr(cli, "_plan_command", lambda: types.SimpleNamespace(plan=plan))
    before = gc.get_threshold()
    gc.set_threshold(900, 11, 12)
    try:
        with pytest.raises(RuntimeError, match="mid-way"):
            cli.main(["plan", "dev"])
        assert (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()) == ((900, 11, 12), True, 0)
    finally:
        gc.set_threshold(*before)


def test_a_plan_whose_check_fails_midway_leaves_nothing_frozen(monkeypatch, tmp_path: Path) -> None:
    import gc
    import io

    import pytest
    from rich.console import Console

    from offline.ci_formats import ReportFormat
    from sophia import plan_command

    def failing_check(*args: object) -> object:
        assert gc.get_freeze_count() > 0  # it fails while the program's objects are frozen
        raise RuntimeError("the check failed mid-way")

    monkeypatch.setattr(plan_command, "check", failing_check)
    quiet = Console(file=io.StringIO())
    with pytest.raises(RuntimeError, match="mid-way"):
        plan_command.plan(REPO, "dev", tmp_path, ReportFormat.TEXT, quiet, quiet)
    assert gc.get_freeze_count() == 0
