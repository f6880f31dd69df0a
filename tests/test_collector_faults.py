"""A plan or command that fails midway still hands its caller the collector as it found it."""

import gc
import io
from pathlib import Path

import pytest
from rich.console import Console

from offline.ci_formats import ReportFormat
from sophia import cli, plan_command

REPO = Path(__file__).resolve().parent.parent


class Boom(RuntimeError):
    """The fault the test injects."""


def test_a_plan_whose_check_fails_leaves_nothing_frozen(monkeypatch, tmp_path: Path) -> None:
    def failing_check(*args: object) -> object:
        assert gc.get_freeze_count() > 0  # it failed while the program's objects were frozen
        raise Boom("the check failed midway")

    monkeypatch.setattr(plan_command, "check", failing_check)
    quiet = Console(file=io.StringIO())
    with pytest.raises(Boom):
        plan_command.plan(REPO, "dev", tmp_path, ReportFormat.TEXT, quiet, quiet)
    assert gc.get_freeze_count() == 0


def test_a_command_that_raises_gives_the_caller_its_thresholds_back(monkeypatch) -> None:
    before = gc.get_threshold()

    def raising(*args: object, **kwargs: object) -> object:
        assert gc.get_threshold() == cli.BATCH_GC_THRESHOLD and gc.isenabled()
        raise Boom("the command failed midway")

    monkeypatch.setattr(plan_command, "plan", raising)
    with pytest.raises(Boom):
        cli.main(["plan", "dev"])
    assert gc.get_threshold() == before and gc.isenabled() and gc.get_freeze_count() == 0
