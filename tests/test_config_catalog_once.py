"""A stack config builds its catalog once, however often a plan reads it, and never hands it to another config."""

from typing import Any

import pytest

from catalog.tables import FoundationalCatalog
from models.tag_metadata import PiiLevel
from offline.stack_files import load_stack_files
from stack import loader
from stack.config import StackConfig
from tests.harness import PROJECT_DIR, apply_overrides, run_stack

OVERRIDE = "EMPLOYEES.LOCATION"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The PII overrides of every catalog built from now on (the process's config cache starts empty)."""
    seen: list[dict[str, Any]] = []
    real = FoundationalCatalog.with_pii_overrides

    def counting(catalog: FoundationalCatalog, overrides: dict[str, Any]) -> FoundationalCatalog:
        seen.append(dict(overrides))
        return real(catalog, overrides)

    monkeypatch.setattr(FoundationalCatalog, "with_pii_overrides", counting)
    loader._validated.cache_clear()
    return seen


def _config(overrides: dict[str, Any]) -> StackConfig:
    files = load_stack_files(PROJECT_DIR, "dev")
    values = apply_overrides(files.values, files.project, overrides)
    return loader.load_stack_config(files.project, values, files.secret_keys)


@pytest.mark.parametrize("overrides", [{}, {OVERRIDE: "sensitive"}])
def test_a_whole_plan_builds_the_catalog_it_keeps_once(builds: list, overrides: dict[str, str]) -> None:
    run_stack("dev", {"piiOverrides": overrides} if overrides else None)
    # Given overrides are first checked on a catalog of their own (the field validator), then one is kept;
    # a dozen reads a plan (components, policy defaults) build no more.
    assert builds == [overrides] * (2 if overrides else 1)


def test_every_read_is_the_same_catalog_with_the_overrides_applied(builds: list) -> None:
    config = _config({"piiOverrides": {OVERRIDE: "sensitive"}})
    built = len(builds)
    first = config.catalog
    assert all(config.catalog is first for _ in range(20))
    assert len(builds) == built  # the model validator already built the one it keeps
    assert first.table("EMPLOYEES").column("LOCATION").pii_level is PiiLevel.SENSITIVE
    assert "catalog" not in config.model_dump() and "catalog" not in type(config).model_fields


def test_two_configs_each_build_their_own(builds: list) -> None:
    plain, overridden = _config({}), _config({"piiOverrides": {OVERRIDE: "sensitive"}})
    assert plain.catalog is not overridden.catalog
    assert plain.catalog.table("EMPLOYEES").column("LOCATION").pii_level is not PiiLevel.SENSITIVE
    assert overridden.catalog.table("EMPLOYEES").column("LOCATION").pii_level is PiiLevel.SENSITIVE
    loader._validated.cache_clear()
    again = _config({})  # equal inputs validated anew: an equal config, with a catalog of its own
    assert again is not plain and again == plain and again.catalog is not plain.catalog


def test_a_copy_with_other_overrides_builds_a_catalog_of_its_own(builds: list) -> None:
    plain = _config({})
    assert plain.catalog.table("EMPLOYEES").column("LOCATION").pii_level is not PiiLevel.SENSITIVE
    copied = plain.model_copy(update={"pii_overrides": {OVERRIDE: PiiLevel.SENSITIVE}})
    assert copied.catalog.table("EMPLOYEES").column("LOCATION").pii_level is PiiLevel.SENSITIVE
    assert plain.catalog.table("EMPLOYEES").column("LOCATION").pii_level is not PiiLevel.SENSITIVE
