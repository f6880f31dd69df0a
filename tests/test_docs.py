"""The README and docs/ keep their promises: every link lands, every command shown runs or is one a test runs."""

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from offline.stack_files import available_stacks
from policies.sophia_policies.registry import PACK_NAME
from sophia.cli import build_parser, main
from stack.airbyte.source_types import SOURCE_SPECS
from tests.doc_pages import (
    Command,
    anchors,
    blocks,
    inline_sophia_commands,
    links,
    pages,
    shell_commands,
    sophia_argv,
)
from tests.harness import PROJECT_DIR

# Programs the pages show that a test cannot run here (a real account, a registry, another machine).
EXTERNAL = {"pulumi", "openssl", "docker", "git", "export", "python", "esc", "cd", "cp"}
# `receiver serve` (or its old name, `hooks serve`) is a server: the pages' invocations are parsed here, and
# each option they use is one tests/receiver/test_cli.py runs.
SERVER_TESTS = PROJECT_DIR / "tests" / "receiver" / "test_cli.py"
RECEIVER = {"receiver", "hooks"}
PLACEHOLDER = {"<stack>": "dev"}


def _all_commands() -> list[Command]:
    return [c for page in pages() for c in [*shell_commands(page), *inline_sophia_commands(page)]]


def _sophia_commands() -> list[tuple[Command, list[str]]]:
    found = []
    for command in _all_commands():
        argv = sophia_argv(command)
        if argv:
            found.append((command, [PLACEHOLDER.get(word, word) for word in argv]))
    return found


def test_readme_is_a_quick_start() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    for page in sorted((PROJECT_DIR / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, f"the README does not link {page.name}"


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_every_link_lands(page: Path) -> None:
    broken = []
    for target in links(page):
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in anchors(path)):
            broken.append(target)
    assert broken == []


def test_every_program_shown_is_ours_or_named_external() -> None:
    makefile = (PROJECT_DIR / "Makefile").read_text()
    for command in _all_commands():
        program = command.words[0]
        if sophia_argv(command) is not None:
            continue
        if program == "make":
            assert all(re.search(rf"^{t}:", makefile, re.M) for t in command.words[1:]), str(command)
        else:
            assert program in EXTERNAL, f"{command}: a program the docs test neither runs nor knows"


def test_every_sophia_command_shown_parses() -> None:
    parser = build_parser()
    for command, argv in _sophia_commands():
        if "--help" in argv:
            continue
        with contextlib.redirect_stderr(io.StringIO()) as err:
            try:
                parser.parse_args(argv)
            except SystemExit:
                pytest.fail(f"{command}: {err.getvalue()}")


def test_the_images_arguments_are_the_receivers() -> None:
    parser = build_parser()
    for command in _all_commands():
        if command.words[:2] == ("docker", "run"):
            image_args = list(command.words[command.words.index("sophia-hooks", 4) + 1 :])
            assert callable(parser.parse_args(["receiver", "serve", *image_args]).run), str(command)


def test_every_receiver_option_shown_is_one_a_test_runs() -> None:
    tested = SERVER_TESTS.read_text()
    for command, argv in _sophia_commands():
        if argv[:1] and argv[0] in RECEIVER and argv[1:2] == ["serve"]:
            for option in (word for word in argv if word.startswith("--")):
                assert f'"{option}"' in tested, f"{command}: no test runs {option}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as a fresh clone sees it, with its own build/."""
    root = tmp_path_factory.mktemp("clone")
    for entry in PROJECT_DIR.iterdir():
        if entry.name not in {"build", ".git"}:
            (root / entry.name).symlink_to(entry)
    return root


def _run_sophia(command: Command, argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
    assert code == 0, f"{command}: exit {code}\n{err.getvalue()}"


def test_every_offline_command_shown_runs_and_exits_0(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch)
    for stack in available_stacks(PROJECT_DIR):  # the exports the pages' commands read
        _run_sophia(Command("setup", ("sophia", "plan", stack)), ["plan", stack])
    ran = set()
    for command in _all_commands():  # in the pages' order: a `cp` shown before a command sets it up
        if command.words[0] == "cp":
            shutil.copy(*command.words[1:3])
            continue
        argv = sophia_argv(command)
        if not argv or argv[0] in RECEIVER:
            continue
        argv = [PLACEHOLDER.get(w, w).replace("../base/", "") for w in argv]  # base branch: here the same
        if tuple(argv) not in ran:
            ran.add(tuple(argv))
            _run_sophia(command, argv)
    assert {"plan", "policy-check", "guard", "new-stack"} <= {argv[0] for argv in ran}


def test_the_graph_excerpt_is_the_plans(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(scratch)
    if not (scratch / "build" / "dev" / "rbac.mmd").exists():
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["plan", "dev"]) == 0
    graph = set((scratch / "build" / "dev" / "rbac.mmd").read_text().splitlines())
    (excerpt,) = blocks((PROJECT_DIR / "docs" / "access-control.md").read_text(), "mermaid")
    assert set(excerpt.splitlines()) <= graph


def test_the_source_types_table_is_the_programs() -> None:
    page = (PROJECT_DIR / "docs" / "airbyte.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| ((?:`\w+`(?:, )?)+) \|$", page, re.M))
    documented = {kind: tuple(re.findall(r"`(\w+)`", fields)) for kind, fields in rows.items()}
    assert documented == {kind.value: spec.credential_fields for kind, spec in SOURCE_SPECS.items()}


def test_the_ci_guide_names_what_the_repository_has() -> None:
    guide = (PROJECT_DIR / "docs" / "ci-cd.md").read_text()
    workflows = "".join(path.read_text() for path in (PROJECT_DIR / ".github" / "workflows").glob("*.yml"))
    uses = set(re.findall(r"uses: (pulumi/auth-actions@\w+ # v[\d.]+)", guide))
    assert uses and all(pin in workflows for pin in uses)  # the variant swaps the token type, not the action
    assert f"/{PACK_NAME} latest" in guide
    for stack in available_stacks(PROJECT_DIR):
        assert f"sophia-ai/{stack}" in guide
