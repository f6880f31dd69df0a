"""SOPHIA_OPS.EMBEDDING_FRESHNESS reports exact coverage, missing, stale and orphaned embeddings."""

from datetime import UTC, datetime, timedelta

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from tests.sql.harness import SCHEMAS

COUNTS = ("ROW_COUNT", "EMBEDDED_COUNT", "MISSING_EMBEDDINGS", "STALE_EMBEDDINGS", "ORPHANED_EMBEDDINGS")


def _freshness(knowledge) -> dict[str, dict]:
    return {
        row["ENTITY_TYPE"]: row for row in knowledge.query(f"SELECT * FROM {SCHEMAS.ops}.EMBEDDING_FRESHNESS")
    }


def _counts(row: dict) -> tuple:
    return tuple(row[name] for name in COUNTS)


def test_every_entity_type_is_reported_even_when_empty(knowledge):
    report = _freshness(knowledge)
    assert set(report) == {table.entity_type for table in FOUNDATIONAL_CATALOG.tables}
    assert all(_counts(row) == (0, 0, 0, 0, 0) and row["COVERAGE_PCT"] is None for row in report.values())


def test_coverage_missing_stale_and_orphans_are_exact(knowledge):
    knowledge.insert(
        "CUSTOMERS", *({"CUSTOMER_ID": f"C{i}", "COMPANY_NAME": f"Company {i}"} for i in range(1, 5))
    )
    knowledge.insert(
        "PRODUCTS",
        {"PRODUCT_ID": "P1", "PRODUCT_NAME": "Forecast"},
        {"PRODUCT_ID": "P2", "PRODUCT_NAME": "Coach"},
    )
    knowledge.scheduled_run("CUSTOMERS")  # products are never embedded: 2 missing

    knowledge.update("CUSTOMERS", "C2", COMPANY_NAME="Company Two")  # text changed: stale
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    knowledge.update("CUSTOMERS", "C3", DOMAIN="c3.example", UPDATED_AT=later)  # only non-embedded columns
    knowledge.delete("CUSTOMERS", "C4")  # its embedding is now an orphan
    knowledge.insert("CUSTOMERS", {"CUSTOMER_ID": "C5", "COMPANY_NAME": "Company 5"})  # missing

    report = _freshness(knowledge)
    customers = report["customer"]
    assert _counts(customers) == (4, 3, 1, 1, 1)
    assert customers["COVERAGE_PCT"] == 75.0
    assert customers["UPDATED_SINCE_EMBEDDED"] == 2  # C2 and C3; only C2 needs a new vector
    assert customers["LAST_UPDATED_AT"].strftime("%Y-%m-%d %H:%M:%S") == later
    assert _counts(report["product"]) == (2, 0, 2, 0, 0)
    assert report["product"]["COVERAGE_PCT"] == 0.0
    assert _counts(report["employee"]) == (0, 0, 0, 0, 0)

    assert knowledge.scheduled_run("CUSTOMERS") == 2  # C2 and C5; C4 is deleted, C3 needs no call
    customers = _freshness(knowledge)["customer"]
    assert _counts(customers) == (4, 4, 0, 0, 0)
    assert customers["COVERAGE_PCT"] == 100.0
    assert customers["UPDATED_SINCE_EMBEDDED"] == 1  # C3: edited after embedding, text unchanged, not stale


def test_vectors_of_another_model_count_as_stale(knowledge):
    knowledge.insert("PRODUCTS", {"PRODUCT_ID": "P1", "PRODUCT_NAME": "Forecast"})
    knowledge.scheduled_run("PRODUCTS")
    knowledge.execute(
        f"UPDATE {SCHEMAS.knowledge}.PRODUCTS_EMBEDDINGS SET MODEL = 'snowflake-arctic-embed-m'"
    )
    assert _counts(_freshness(knowledge)["product"]) == (1, 1, 0, 1, 0)
