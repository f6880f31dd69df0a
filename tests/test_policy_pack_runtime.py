"""The policy pack runs in its own runtime with the pure models installed beside it, and nothing else of ours."""

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Top-level imports that are the standard library's or ours, not a distribution the package must require.
STDLIB = set(sys.stdlib_module_names)
# Distributions by the import name they provide, where the two differ.
PROVIDED_BY = {"pydantic_core": "pydantic"}


def test_the_pack_imports_with_only_the_models_package_beside_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "models").symlink_to(REPO / "models")
    probe = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(site)!r}, {str(REPO / 'policies')!r}]\n"
        "import sophia_policies.registry as r\n"
        "print(json.dumps([len(r.ALL_RULES), sorted({m.partition('.')[0] for m in sys.modules})]))\n"
    )
    # -I: no current directory or PYTHONPATH on the path, as in the pack's own virtualenv.
    done = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    rules, loaded = json.loads(done.stdout)
    assert rules > 0
    assert "models" in loaded
    assert {"stack", "catalog", "components", "offline", "policies"} & set(loaded) == set()


def test_the_models_package_requires_every_distribution_its_modules_import() -> None:
    project = tomllib.loads((REPO / "models" / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"] == {"packages": ["models"], "package-dir": {"models": "."}}
    required = {spec.partition("==")[0].replace("-", "_") for spec in project["project"]["dependencies"]}
    imported = {
        name.partition(".")[0]
        for path in (REPO / "models").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
    }
    third_party = {PROVIDED_BY.get(name, name) for name in imported - STDLIB - {"models", "__future__"}}
    assert third_party <= required, f"models imports {sorted(third_party - required)} it does not require"


def test_the_pack_requirements_install_the_models_package_from_the_pack_directory() -> None:
    lines = [
        line.strip()
        for line in (REPO / "policies" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    local = [line for line in lines if line.startswith(".")]
    assert local == ["../models"]
    assert ((REPO / "policies" / local[0]).resolve() / "pyproject.toml").is_file()
