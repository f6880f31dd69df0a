"""The pack reaches the models one way, pip's `sophia-models`, and runs alone: from policies/ and assembled.

Each pack is started as Pulumi starts it (`python -u`, its `__main__.py`, its directory on the path) by a fresh
interpreter (`-I -S`: no working directory, PYTHONPATH or site hooks, so not the repository's editable
install either), with only what pip would install from its requirements.txt, run in its own directory as
Pulumi runs it. The test then asks the running analyzer for its rules over gRPC, as `pulumi policy publish`
does (GetAnalyzerInfo).
"""

import shutil
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc

from offline.policy_pack_dist import LOCAL_MODELS, PackAssemblyError, assemble
from policies.sophia_policies.registry import ALL_RULES, PACK_NAME

REPO = Path(__file__).resolve().parent.parent
# The third-party distributions the pack's requirements pin, as installed here (no .pth files run).
THIRD_PARTY = sysconfig.get_paths()["purelib"]
BOOT = """
import runpy, sys
pack, *sites = sys.argv[1:]
sys.path[:] = [pack, *sys.path, *sites]
# Nothing of the repository but the installed third-party distributions in its .venv.
assert not any(p == {repo!r} or p.startswith({repo!r} + "/") and not p.startswith({venv!r}) for p in sys.path)
runpy.run_path(pack + "/__main__.py", run_name="__main__")
"""


def _install_local_requirements(pack: Path, site: Path) -> None:
    """pip, in the pack's directory, installs the requirements that are paths (the rest are pinned here)."""
    lines = [line.strip() for line in (pack / "requirements.txt").read_text().splitlines()]
    local = [line for line in lines if line.startswith(".")]
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), *local],
        cwd=pack,
        check=True,
    )


def _served_rules(pack: Path, *sites: Path) -> tuple[str, list[str]]:
    """Starts the pack, asks it for its name and rules, stops it; fails with its stderr if it cannot start."""
    boot = BOOT.format(repo=str(REPO), venv=f"{REPO}/.venv/")
    process = subprocess.Popen(
        [sys.executable, "-u", "-I", "-S", "-c", boot, str(pack), *map(str, sites), THIRD_PARTY],
        cwd=pack,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # A pack that hangs before it prints its port is stopped, so the test fails instead of waiting forever.
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        port = process.stdout.readline().strip()
        if not port:
            process.wait(timeout=60)
            pytest.fail(f"the pack did not start:\n{process.stderr.read()}")
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            info = analyzer_pb2_grpc.AnalyzerStub(channel).GetAnalyzerInfo(empty_pb2.Empty(), timeout=60)
        return info.name, [policy.name for policy in info.policies]
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("publish") / "policy-pack")


def test_the_assembled_pack_runs_alone_with_every_rule(published: Path, tmp_path: Path) -> None:
    _install_local_requirements(published, tmp_path / "site")
    assert _served_rules(published, tmp_path / "site") == (PACK_NAME, [rule.name for rule in ALL_RULES])


def test_the_assembled_pack_holds_what_it_runs_and_nothing_of_the_repository(published: Path) -> None:
    requirements = (published / "requirements.txt").read_text()
    assert LOCAL_MODELS not in requirements.split()
    assert not any(part.startswith("..") for line in requirements.splitlines() for part in line.split("/"))
    assert {path.name for path in published.iterdir()} == {
        "PulumiPolicy.yaml", "__main__.py", "requirements.txt", "sophia_policies", "wheels"
    }  # fmt: skip


def test_without_the_models_installed_the_pack_does_not_start(published: Path) -> None:
    # The control: nothing else (the repository, an editable install) lets the rules import models/.
    with pytest.raises(pytest.fail.Exception, match="No module named 'models'"):
        _served_rules(published)


def test_the_repository_pack_runs_with_the_models_its_requirements_install(tmp_path: Path) -> None:
    # A copy keeps pip's in-tree build of ../models out of the repository; the layout is the same.
    shutil.copytree(
        REPO / "policies", tmp_path / "policies", ignore=shutil.ignore_patterns("venv", "__pycache__")
    )
    shutil.copytree(
        REPO / "models", tmp_path / "models", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    _install_local_requirements(tmp_path / "policies", tmp_path / "site")
    assert _served_rules(tmp_path / "policies", tmp_path / "site")[1] == [rule.name for rule in ALL_RULES]


def test_assembly_refuses_a_directory_that_is_not_an_earlier_pack(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    with pytest.raises(PackAssemblyError, match="not an assembled pack"):
        assemble(tmp_path)
    with pytest.raises(PackAssemblyError, match="pack's own directory"):
        assemble(REPO / "policies" / "out")
    for own_or_above in (REPO / "policies", REPO):  # removing either would take the pack's source with it
        with pytest.raises(PackAssemblyError, match="pack's own directory"):
            assemble(own_or_above)
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert (REPO / "policies" / "__main__.py").is_file()


def test_requirements_without_the_models_line_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "requirements.txt").write_text("pulumi-policy==1.21.0\n# ../models\n../models-old\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "PulumiPolicy.yaml").write_text("runtime: python\n")  # an earlier assembly
    with pytest.raises(PackAssemblyError, match=r"no \.\./models line"):
        assemble(tmp_path / "out", pack_dir=pack)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["PulumiPolicy.yaml"]
