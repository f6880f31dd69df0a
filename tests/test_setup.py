"""A fresh clone's set-up: a Python 3.11 is picked or asked for, and `pulumi install` gets pyproject's pins."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.harness import PROJECT_DIR


def _fake_python(folder: Path, name: str, version: str) -> Path:
    """An interpreter that reports `version` and fails anything else, as a 3.12 fails the 3.11 check."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f'#!/bin/sh\n[ "$1" = "--version" ] && echo "Python {version}" && exit 0\nexit 1\n')
    path.chmod(0o755)
    return path


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The files the set-up reads, without a .venv."""
    root = tmp_path / "clone"
    root.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(PROJECT_DIR / name, root / name)
    return root


MAKE = shutil.which("make")


def _make(clone: Path, path_dirs: list[Path], *arguments: str) -> subprocess.CompletedProcess[str]:
    """make with only `path_dirs` on PATH: the machine's own interpreters out of sight."""
    env = {**os.environ, "PATH": os.pathsep.join(map(str, path_dirs)) or "/nonexistent"}
    env.pop("PYTHON", None)
    return subprocess.run(
        [MAKE, "-s", "-C", str(clone), *arguments], capture_output=True, text=True, env=env, timeout=60
    )


def test_a_python_other_than_3_11_is_refused_with_what_to_do(clone: Path, tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    _fake_python(fake, "python3", "3.12.4")
    result = _make(clone, [fake], "install")
    assert result.returncode == 2
    assert "sophia needs Python 3.11" in result.stderr and "'python3' is Python 3.12.4" in result.stderr
    assert "make PYTHON=/path/to/python3.11" in result.stderr
    assert not (clone / ".venv").exists()


def test_python3_11_on_path_is_picked_before_python3(clone: Path, tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    _fake_python(fake, "python3", "3.13.0")
    picked = _fake_python(fake, "python3.11", "3.11.0-fake")
    result = _make(clone, [fake], "install")
    assert f"'{picked}' is Python 3.11.0-fake" in result.stderr  # it was the one asked


def test_python_names_the_interpreter(clone: Path, tmp_path: Path) -> None:
    chosen = _fake_python(tmp_path / "elsewhere", "py", "3.10.1")
    result = _make(clone, [tmp_path / "bin"], "install", f"PYTHON={chosen}")
    assert result.returncode == 2 and f"'{chosen}' is Python 3.10.1" in result.stderr
    missing = _make(clone, [], "install", "PYTHON=/no/such/python")
    assert missing.returncode == 2 and "'/no/such/python' is not found" in missing.stderr


def test_bin_sophia_says_what_it_needs(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    for entry in PROJECT_DIR.iterdir():
        if entry.name not in {".venv", "build", ".git"}:
            (clone / entry.name).symlink_to(entry)
    fake = _fake_python(tmp_path / "bin", "python3", "3.12.4")
    env = {**os.environ, "PATH": f"{fake.parent}:{Path(MAKE).parent}", "PYTHON": str(fake)}
    result = subprocess.run(
        [str(clone / "bin" / "sophia"), "plan", "dev"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "sophia needs Python 3.11" in result.stderr and "could not set up" in result.stderr


def test_requirements_txt_is_generated_from_pyproject(clone: Path) -> None:
    result = _make(clone, [Path(sys.executable).parent], "requirements.txt", f"PYTHON={sys.executable}")
    assert result.returncode == 0, result.stderr
    assert (clone / "requirements.txt").read_text() == (PROJECT_DIR / "requirements.txt").read_text()


def test_requirements_txt_pins_every_dependency_and_names_no_index() -> None:
    lines = [
        line
        for line in (PROJECT_DIR / "requirements.txt").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert lines and all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*==[0-9][\w.]*", line) for line in lines), lines


def test_pulumi_install_uses_requirements_txt_in_the_programs_virtualenv() -> None:
    options = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["runtime"]["options"]
    assert options == {"toolchain": "pip", "virtualenv": ".venv"}
    assert (PROJECT_DIR / "requirements.txt").is_file()
