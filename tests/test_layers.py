"""Layers import downwards only (models, catalog, stack, components, the program), with no import cycles."""

import ast
import json
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOT_PROGRAM = {"tests", ".venv", ".git", "build"}

# What each top-level package may import of ours, itself included; `__main__` is the program's entry point.
ALLOWED: dict[str, set[str]] = {
    "models": {"models"},
    "catalog": {"models", "catalog"},
    "stack": {"models", "catalog", "stack"},
    "components": {"models", "catalog", "stack", "components"},
    "__main__": {"stack", "components"},
    "offline": {"models", "catalog", "stack", "offline", "policies"},
    "sophia": {"models", "catalog", "stack", "offline", "policies", "sophia"},
    "bench": {"models", "catalog", "stack", "components", "offline", "sophia", "bench"},
    # The policy pack runs in its own runtime, where its rules are the top-level `sophia_policies`; it may
    # import the pure models (installed in its runtime as sophia-models), never what builds resources.
    "policies": {"policies", "models"},
}
PURE = ("models", "catalog")
NOT_IN_PURE = ("pulumi", "pulumi_snowflake", "pulumi_policy", "airbyte_api")
RUNTIME_ROOTS = {"sophia_policies": "policies.sophia_policies"}


def program_modules(root: Path) -> dict[str, Path]:
    """Every Python module of the program by dotted name: tests, the virtualenv and build output aside."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_PROGRAM or relative.parts[0].endswith(".egg-info"):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ours that `module` imports anywhere in its file, TYPE_CHECKING blocks included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            head, _, rest = target.partition(".")
            target = f"{RUNTIME_ROOTS[head]}.{rest}".rstrip(".") if head in RUNTIME_ROOTS else target
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Which of our modules each of our modules imports."""
    modules = program_modules(root)
    return {module: imported(module, path, set(modules)) for module, path in modules.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import a module's layer may not make, or a module in no layer at all."""
    problems = []
    for module, targets in sorted(graph.items()):
        layer = module.partition(".")[0]
        if layer not in ALLOWED:
            problems.append(f"{module} is in no layer: add {layer!r} to ALLOWED")
            continue
        problems += [
            f"{module} imports {target}; {layer} may import only {sorted(ALLOWED[layer])}"
            for target in sorted(targets)
            if target.partition(".")[0] not in ALLOWED[layer]
        ]
    return problems


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules around it, or [] when there is none."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(error.args[1])
    return []


def test_every_import_goes_downwards() -> None:
    assert upward_imports(import_graph(REPO)) == []


def test_no_modules_import_each_other_in_a_cycle() -> None:
    assert cycle(import_graph(REPO)) == []


@pytest.mark.parametrize("layer", PURE)
def test_the_pure_layers_import_neither_pulumi_nor_the_airbyte_sdk(layer: str) -> None:
    offenders = sorted(
        f"{path.relative_to(REPO)} imports {name}"
        for path in (REPO / layer).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
        if name.partition(".")[0] in NOT_IN_PURE
    )
    assert offenders == []


@pytest.mark.parametrize(
    ("module", "never_loaded"),
    [
        ("models.access_matrix", ("pulumi", "airbyte_api", "catalog", "stack", "components")),
        ("catalog.views", ("pulumi", "airbyte_api", "stack", "components")),
    ],
)
def test_importing_a_pure_module_loads_nothing_above_it(module: str, never_loaded: tuple[str, ...]) -> None:
    probe = (
        f"import json, sys, {module}; print(json.dumps(sorted({{m.partition('.')[0] for m in sys.modules}})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert sorted(set(json.loads(loaded.stdout)) & set(never_loaded)) == []


def test_an_upward_import_and_a_cycle_are_caught(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "components").mkdir()
    (tmp_path / "models" / "naming.py").write_text("from components.config import Role\n")
    (tmp_path / "components" / "config.py").write_text("from models import naming\n")

    graph = import_graph(tmp_path)

    assert upward_imports(graph) == [
        "models.naming imports components.config; models may import only ['models']"
    ]
    assert sorted(set(cycle(graph))) == ["components.config", "models.naming"]
