"""The promises table of docs/policy-pack.md: every row's rules exist and have fixtures, every rule keeps a promise, every citation exists."""

import re
from pathlib import Path

import pytest

from policies.sophia_policies import registry
from tests.policy_fixtures import FIXTURE_DIR, load_fixture

REPO = Path(__file__).resolve().parent.parent
PROMISES = REPO / "docs" / "policy-pack.md"


def promise_rows(text: str) -> list[tuple[str, str, list[str]]]:
    """(promise, where stated, rule names) of each row of the promises table."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("promise", "---"):
            rows.append((cells[0], cells[1], re.findall(r"`([a-z0-9-]+)`", cells[2])))
    return rows


ROWS = promise_rows(PROMISES.read_text())
RULES = {rule.name for rule in registry.ALL_RULES}


def test_the_table_is_read() -> None:
    assert len(ROWS) >= 25 and all(rules for _, _, rules in ROWS)


@pytest.mark.parametrize(("promise", "where", "rules"), ROWS, ids=[row[0][:40] for row in ROWS])
def test_each_row_names_rules_that_exist_with_their_fixtures(
    promise: str, where: str, rules: list[str]
) -> None:
    for rule in rules:
        assert rule in RULES, f"{promise!r} names {rule}, which the pack does not have"
        fixture = load_fixture(FIXTURE_DIR / f"{rule}.yaml")
        assert fixture.resources and fixture.variants, f"{rule} needs a passing and a failing fixture"


@pytest.mark.parametrize(("promise", "where", "rules"), ROWS, ids=[row[0][:40] for row in ROWS])
def test_each_row_cites_a_heading_that_exists(promise: str, where: str, rules: list[str]) -> None:
    page, _, heading = where.partition(" § ")
    headings = {
        line.lstrip("#").strip() for line in (REPO / page).read_text().splitlines() if line.startswith("#")
    }
    assert heading in headings, f"{promise!r} cites {where}, which has no such heading"


def test_every_rule_of_the_pack_keeps_a_listed_promise() -> None:
    listed = {rule for _, _, rules in ROWS for rule in rules}
    assert sorted(RULES - listed) == []


def test_a_row_naming_a_missing_rule_is_refused() -> None:
    row = promise_rows("| a promise | docs/configuration.md § Configuration reference | `no-such-rule` |")
    assert row == [("a promise", "docs/configuration.md § Configuration reference", ["no-such-rule"])]
    assert "no-such-rule" not in RULES
