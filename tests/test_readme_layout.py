"""The README's layout names every folder of the repository and nothing that is not there."""

import re
import subprocess

from tests.harness import PROJECT_DIR


def _layout_entries() -> set[str]:
    """The top-level names the README's Layout block lists (`bench/`, `Dockerfile`, ...)."""
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme[readme.index("## Layout") :]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    return {
        name for line in block.splitlines() if line and not line[0].isspace() for name in line.split()[:1]
    }


def _tracked_folders() -> set[str]:
    """Top-level folders git tracks files in, hidden ones aside."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return {f"{path.split('/')[0]}/" for path in files if "/" in path and not path.startswith(".")}


def test_the_layout_lists_every_folder() -> None:
    assert _tracked_folders() <= _layout_entries()


def test_everything_the_layout_lists_exists() -> None:
    missing = [name for name in _layout_entries() if not (PROJECT_DIR / name.rstrip("/")).exists()]
    assert missing == []
