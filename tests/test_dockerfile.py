"""The receiver's image holds exactly what `sophia` imports, runs `sophia receiver serve` as non-root, and is checked."""

import json
import re
import subprocess
import sys

from catalog.sql_files import SQL_DIR
from sophia.receiver.request_log import HEALTH_ROUTE
from tests.harness import PROJECT_DIR

DOCKERFILE = (PROJECT_DIR / "Dockerfile").read_text()
# What the installed package reads beside its modules at run time, not by import.
READ_AT_RUN_TIME = {SQL_DIR.name, "pyproject.toml"}


def _instructions(name: str) -> list[str]:
    """The arguments of every instruction of one kind, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [m.strip() for m in re.findall(rf"^{name}\s+(.*)$", joined, re.M)]


def _copied() -> set[str]:
    sources = set()
    for line in _instructions("COPY"):
        words = line.split()
        sources |= {word.rstrip("/") for word in words[:-1] if not word.startswith("--")}
    return sources


def _imported_packages() -> set[str]:
    """The project's top-level packages the `sophia` command imports, found by importing it afresh."""
    local = {p.name for p in PROJECT_DIR.iterdir() if p.is_dir()}  # packages and namespace packages
    probe = "import json, sys; import sophia.cli, sophia.commands, sophia.inventory, sophia.receiver.serve; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout)) & local


def test_the_image_copies_what_the_command_imports_and_nothing_else() -> None:
    assert _copied() == _imported_packages() | READ_AT_RUN_TIME


def test_every_copied_path_exists() -> None:
    assert [source for source in _copied() if not (PROJECT_DIR / source).exists()] == []


def test_it_runs_the_receiver_as_a_non_root_user() -> None:
    (user,) = _instructions("USER")
    assert user not in {"root", "0"} and not user.startswith(("0:", "root:"))
    assert DOCKERFILE.index("USER ") < DOCKERFILE.index("ENTRYPOINT")
    (entrypoint,) = _instructions("ENTRYPOINT")
    assert json.loads(entrypoint) == ["sophia", "receiver", "serve"]


def test_its_health_check_asks_the_receivers_health_route() -> None:
    (check,) = _instructions("HEALTHCHECK")
    assert f"127.0.0.1:8080{HEALTH_ROUTE}" in check
    cmd = json.loads(check[check.index("CMD") + 3 :])
    assert cmd[0] == "python"  # the base image's interpreter: no curl in a slim image
    (port,) = _instructions("EXPOSE")
    assert port == "8080" and '"--port", "8080"' in DOCKERFILE
