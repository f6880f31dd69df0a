"""Every check a rule module writes is in one of its rules, and every rule of every module is in the registry."""

import ast
import importlib
from pathlib import Path

import pytest

from policies.sophia_policies import registry

PACKAGE = Path(registry.__file__).parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem not in {"__init__", "registry"})


def rule_lists(tree: ast.Module) -> dict[str, ast.expr]:
    """A module's `<FAMILY>_RULES = [...]` assignments, by name."""
    return {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.endswith("_RULES")
    }


def unlisted_checks(source: str) -> list[str]:
    """Functions that take a ReportViolation but no `_RULES` list reaches, directly or through other functions."""
    tree = ast.parse(source)
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    checks = {
        name
        for name, node in functions.items()
        if any(getattr(arg.annotation, "id", None) == "ReportViolation" for arg in node.args.args)
    }
    reached: set[str] = set()
    pending = list(rule_lists(tree).values())
    while pending:
        for node in ast.walk(pending.pop()):
            if isinstance(node, ast.Name) and node.id in functions and node.id not in reached:
                reached.add(node.id)
                pending.append(functions[node.id])
    return sorted(checks - reached)


@pytest.mark.parametrize("module", MODULES)
def test_every_check_is_in_a_rule_of_its_module(module: str) -> None:
    assert unlisted_checks((PACKAGE / f"{module}.py").read_text()) == []


@pytest.mark.parametrize("module", MODULES)
def test_every_rule_of_a_module_is_in_the_registry(module: str) -> None:
    names = rule_lists(ast.parse((PACKAGE / f"{module}.py").read_text()))
    loaded = importlib.import_module(f"{registry.__package__}.{module}")
    registered = {id(rule) for rule in registry.ALL_RULES}
    missing = [rule.name for name in names for rule in getattr(loaded, name) if id(rule) not in registered]
    assert missing == [], f"{module}: rules not in registry.ALL_RULES"


def test_a_check_left_out_of_the_rules_is_caught() -> None:
    source = """
def _listed(args, report: ReportViolation, _): _helper(args, report)
def _helper(args, report: ReportViolation): ...
def _forgotten(args, report: ReportViolation, _): ...
FAMILY_RULES = [resource_rule("listed", "", None, "", _listed)]
"""
    assert unlisted_checks(source) == ["_forgotten"]
