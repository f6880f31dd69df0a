"""Embedding coverage is a contract: the freshness view says per entity type whether at least 95 % is embedded."""

import pytest

from catalog.quality_gate.alerts import GateAlert, gate_alerts
from catalog.views import COVERAGE_EXPECTATION_PCT
from models.enums import AlertChannel
from tests.sql.harness import SCHEMAS
from tests.sql.quality_gate_harness import OBJECTS


def test_the_view_and_the_alert_hold_the_same_figure() -> None:
    specs = gate_alerts(OBJECTS, "ALERTS", 15, 120, "OPS.EMBEDDING_FRESHNESS", channel=AlertChannel.EMAIL)
    (coverage,) = [spec for spec in specs if spec.name == GateAlert.EMBEDDING_COVERAGE.value]
    assert COVERAGE_EXPECTATION_PCT == 95
    assert coverage.condition.rstrip().endswith(f"freshness.COVERAGE_PCT < {COVERAGE_EXPECTATION_PCT}")


@pytest.mark.parametrize(("unembedded", "meets"), [(0, True), (1, True), (2, False)])
def test_meets_coverage_at_95_percent_and_not_below(knowledge, unembedded: int, meets: bool) -> None:
    knowledge.insert(
        "CUSTOMERS", *({"CUSTOMER_ID": f"C{i}", "COMPANY_NAME": f"Company {i}"} for i in range(20))
    )
    knowledge.scheduled_run("CUSTOMERS")
    for i in range(unembedded):
        knowledge.execute(f"DELETE FROM {SCHEMAS.knowledge}.CUSTOMERS_EMBEDDINGS WHERE ENTITY_ID = 'C{i}'")
    rows = knowledge.query(f"SELECT * FROM {SCHEMAS.ops}.EMBEDDING_FRESHNESS")
    report = {row["ENTITY_TYPE"]: row for row in rows}
    assert report["customer"]["COVERAGE_EXPECTATION_PCT"] == 95
    assert report["customer"]["MEETS_COVERAGE"] is meets
    assert report["product"]["MEETS_COVERAGE"] is True  # an empty table has nothing to miss
