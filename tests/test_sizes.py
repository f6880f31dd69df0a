"""No Python file of the project is over 300 lines and no function over 60: each stays readable in one sitting."""

import ast

import pytest

from tests.harness import PROJECT_DIR

MAX_FILE_LINES, MAX_FUNCTION_LINES = 300, 60
LAYERS = ("models", "stack", "catalog", "components", "offline", "sophia", "policies", "bench", "tests")


def oversized(source: str) -> list[str]:
    """The file, if over the line limit, and each function over its limit, with its length."""
    found = [f"file: {source.count(chr(10))} lines"] if source.count("\n") > MAX_FILE_LINES else []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name}: {length} lines")
    return found


def test_no_file_or_function_of_the_project_is_over_its_limit() -> None:
    files = [
        PROJECT_DIR / "__main__.py",
        *(f for layer in LAYERS for f in (PROJECT_DIR / layer).rglob("*.py")),
    ]
    assert len(files) > 300
    assert {str(f.relative_to(PROJECT_DIR)): o for f in files if (o := oversized(f.read_text()))} == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\n" * 301, ["file: 301 lines"]),
        ("x = 1\n" * 300, []),
        ("def f():\n" + "    x = 1\n" * 60, ["f: 61 lines"]),
        ("class A:\n    async def g(self):\n" + "        x = 1\n" * 59, []),
        ("class A:\n    async def g(self):\n" + "        x = 1\n" * 60, ["g: 61 lines"]),
    ],
)
def test_the_limits_are_counted_as_stated(source: str, expected: list[str]) -> None:
    assert oversized(source) == expected
