"""Only stack/sdk_internals.py reaches the Pulumi SDKs' private names: every other module goes through it."""

import ast
from pathlib import Path

import pytest

from tests.harness import PROJECT_DIR

ADAPTER = Path("stack/sdk_internals.py")
PRODUCT = ("models", "stack", "catalog", "components", "offline", "sophia", "policies", "bench")
SDKS = ("pulumi", "pulumi_policy", "pulumi_snowflake")


def private_uses(source: str) -> list[str]:
    """Each place a module imports or reads a name the SDKs keep private (a leading underscore)."""
    tree = ast.parse(source)
    bound: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in SDKS:
            private_module = any(part.startswith("_") for part in node.module.split("."))
            found += [f"line {node.lineno}: from {node.module} import {alias.name}"
                      for alias in node.names if private_module or alias.name.startswith("_")]  # fmt: skip
            bound |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] in SDKS}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in bound:
                found.append(f"line {node.lineno}: {root.id}...{node.attr}")
    return found


def _product_files() -> list[Path]:
    files = [PROJECT_DIR / "__main__.py"]
    for layer in PRODUCT:
        files += sorted((PROJECT_DIR / layer).rglob("*.py"))
    return [f for f in files if f.relative_to(PROJECT_DIR) != ADAPTER]


def test_no_module_but_the_adapter_touches_a_private_sdk_name() -> None:
    offenders = {
        str(path.relative_to(PROJECT_DIR)): uses
        for path in _product_files()
        if (uses := private_uses(path.read_text()))
    }
    assert offenders == {}


def test_the_adapter_does_and_is_the_only_one() -> None:
    assert private_uses((PROJECT_DIR / ADAPTER).read_text())  # else the check above would look for nothing


@pytest.mark.parametrize(
    "source",
    [
        "from pulumi._types import input_type_to_dict",
        "from pulumi.runtime.sync_await import _sync_await",
        "from pulumi_policy import policy\nx = policy._PolicyAnalyzerServicer",
        "import pulumi.runtime.settings as s\ns.ROOT = s._x",
        "import pulumi\npulumi.runtime.rpc._special_sig_key",
        "from pulumi.runtime import resource as r\nr._get_stack_trace = None",
    ],
)
def test_each_way_of_reaching_a_private_name_is_caught(source: str) -> None:
    assert private_uses(source)


@pytest.mark.parametrize(
    "source",
    [
        "import pulumi\npulumi.ResourceOptions(protect=True)",
        "class A:\n    def f(self):\n        return self._x",  # the project's own private names are its own
        "from pulumi_snowflake import Schema\nSchema.__name__",
    ],
)
def test_public_names_and_the_projects_own_pass(source: str) -> None:
    assert private_uses(source) == []
