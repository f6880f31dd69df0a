"""The README's "How to add" and the architecture page name files that exist, and say the same thing.

Each recipe was tried by adding a throwaway one (a check kind, a table, a SQL file, a source type, a rule, a
stack, a component); these tests keep the written recipes from drifting away from the tree they describe.
"""

import re
from pathlib import Path

import pytest

from tests.harness import PROJECT_DIR

README = PROJECT_DIR / "README.md"
ARCHITECTURE = PROJECT_DIR / "docs" / "architecture.md"
_CODE = re.compile(r"`([^`]+)`")
_FILE = re.compile(r"[\w.<>/-]+(\.(py|yaml|json|sql|txt|md)|/)")
_PLACEHOLDER = re.compile(r"<[^>]+>|\bNAME\b")


def _table(page: Path, heading: str) -> dict[str, str]:
    """The first table under `heading`: its first column to the rest of its row."""
    text = page.read_text()
    section = text[text.index(f"\n{heading}\n") :]
    rows = {}
    for line in section.splitlines()[2:]:
        if line.startswith("## "):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] not in {"to add", "concern"} and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = " | ".join(cells[1:])
    return rows


def _paths(cell: str) -> set[str]:
    """The repository files and folders a cell names in code spans (commands and their flags aside)."""
    found = set()
    for span in _CODE.findall(cell):
        if span.startswith(("bin/sophia", ".venv/bin/")):
            continue
        found |= {word.rstrip(",;") for word in span.split() if _FILE.fullmatch(word.rstrip(",;"))}
    return found


def _exists(path: str) -> bool:
    pattern = _PLACEHOLDER.sub("*", path).rstrip("/")
    return any(PROJECT_DIR.glob(pattern)) or (PROJECT_DIR / pattern).exists()


RECIPES = _table(README, "## How to add")
STEPS = _table(ARCHITECTURE, "## How to add")
CONCERNS = _table(ARCHITECTURE, "## One word per concern")


def test_the_readme_and_the_architecture_page_have_the_same_recipes() -> None:
    assert len(RECIPES) >= 8 and RECIPES.keys() == STEPS.keys()


@pytest.mark.parametrize("recipe", sorted(RECIPES))
def test_each_recipe_names_files_that_exist_and_the_page_names_them_too(recipe: str) -> None:
    named = _paths(RECIPES[recipe])
    assert named, f"the README's recipe for {recipe} names no file"
    assert [path for path in sorted(named) if not _exists(path)] == []
    assert named <= _paths(STEPS[recipe]) | {"tests/snapshots/"}, (
        f"the page's {recipe} recipe names fewer files"
    )


@pytest.mark.parametrize("concern", sorted(CONCERNS))
def test_each_concern_is_one_word_in_every_layer_it_reaches(concern: str) -> None:
    word = concern.split()[0].lower() if concern != "quality gate" else "quality_gate"
    layers = CONCERNS[concern].split(" | ")[:-1]  # the last column is what else serves it, by other names
    named = set().union(*(_paths(cell) for cell in layers))
    assert len(named) >= 2, f"{concern} reaches fewer than two layers"
    assert [path for path in sorted(named) if not _exists(path)] == []
    assert [path for path in sorted(named) if word not in path.lower()] == []


def test_a_path_that_does_not_exist_is_caught() -> None:
    assert _exists("models/quality_gate.py") and _exists("sql/quality_gate/checks/<kind>.sql")
    assert not _exists("models/quality_checks.py") and not _exists("sql/quality/checks/<kind>.sql")
