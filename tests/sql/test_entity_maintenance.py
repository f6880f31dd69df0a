"""The shipped entity mappings on fakesnow: HubSpot companies become CUSTOMERS, Gong calls hang off them."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from stack.airbyte.config import StreamConfig
from tests.sql.entity_harness import EntityWarehouse, dev_config
from tests.sql.quality_gate_harness import DATABASE, GateWarehouse, RawStream

CONFIG = dev_config()
COMPANY_COLUMNS = {
    "ID": "VARCHAR",
    "UPDATEDAT": "TIMESTAMP_TZ",
    "CREATEDAT": "TIMESTAMP_TZ",
    "PROPERTIES_NAME": "VARCHAR",
    "PROPERTIES_DOMAIN": "VARCHAR",
    "PROPERTIES_INDUSTRY": "VARCHAR",
    "PROPERTIES_DESCRIPTION": "VARCHAR",
}
CALL_COLUMNS = {
    "ID": "VARCHAR",
    "STARTED": "TIMESTAMP_TZ",
    "DIRECTION": "VARCHAR",
    "SCOPE": "VARCHAR",
    "TITLE": "VARCHAR",
    "CRMCOMPANYID": "VARCHAR",
}
T0 = datetime(2024, 6, 1, tzinfo=UTC)


def _shipped_stream(source: str, name: str) -> StreamConfig:
    return next(s for s in CONFIG.airbyte.sources[source].streams if s.name == name)


@pytest.fixture
def world() -> Iterator[tuple[EntityWarehouse, RawStream, RawStream]]:
    """A fresh emulator per test: the knowledge tables and streams are built once per database."""
    gate = GateWarehouse(sources=("GONG", "HUBSPOT"))
    companies = gate.stream("HUBSPOT", _shipped_stream("HUBSPOT", "companies"), COMPANY_COLUMNS)
    calls = gate.stream("GONG", _shipped_stream("GONG", "calls"), CALL_COLUMNS)
    companies.land()
    calls.land()
    yield EntityWarehouse(gate, CONFIG), companies, calls
    gate.close()


def _company(name: str = "Acme", at: datetime = T0, **more: str) -> dict[str, object]:
    record = {
        "ID": "101",
        "UPDATEDAT": at.isoformat(),
        "CREATEDAT": T0.isoformat(),
        "PROPERTIES_NAME": name,
        "PROPERTIES_DOMAIN": "acme.example",
        "PROPERTIES_INDUSTRY": "Software",
        "PROPERTIES_DESCRIPTION": "Buys seats",
    }
    return {**record, **more}


def _call(call_id: str, company: str = "101") -> dict[str, object]:
    return {
        "ID": call_id,
        "STARTED": T0.isoformat(),
        "DIRECTION": "Outbound",
        "SCOPE": "External",
        "TITLE": f"Discovery {call_id}",
        "CRMCOMPANYID": company,
    }


def test_a_hubspot_company_reaches_customers_and_customer_360_with_its_gong_calls(world) -> None:
    entities, companies, calls = world
    companies.sync(_company())
    calls.sync(_call("c1"), _call("c2"), _call("c3", company="999"))
    entities.promote("HUBSPOT")
    entities.promote("GONG")
    [customer] = entities.rows("CUSTOMERS", "CUSTOMER_ID")
    assert customer["CUSTOMER_ID"] == "HUBSPOT_ID:101"
    assert (customer["HUBSPOT_ID"], customer["COMPANY_NAME"], customer["DOMAIN"]) == (
        "101",
        "Acme",
        "acme.example",
    )
    [view] = entities.rows("CUSTOMER_360", "CUSTOMER_ID")
    assert (view["COMPANY_NAME"], view["GONG_CALL_COUNT"]) == ("Acme", 2)
    links = entities.rows("RELATIONSHIPS", "RELATIONSHIP_ID")
    assert [(r["RELATIONSHIP_ID"], r["FROM_ENTITY_ID"], r["RELATIONSHIP_TYPE"]) for r in links] == [
        ("GONG_CALLS:c1", "HUBSPOT_ID:101", "gong_call"),
        ("GONG_CALLS:c2", "HUBSPOT_ID:101", "gong_call"),
        ("GONG_CALLS:c3", "HUBSPOT_ID:999", "gong_call"),
    ]


def test_an_update_changes_the_entity_once_and_a_replay_changes_nothing(world) -> None:
    entities, companies, _ = world
    customers = entities.catalog.table("CUSTOMERS")
    companies.sync(_company())
    entities.promote("HUBSPOT")
    assert entities.entity_changes(customers) == 1
    companies.sync(_company("Acme Corp", at=T0 + timedelta(hours=1)))
    entities.promote("HUBSPOT")
    [customer] = entities.rows("CUSTOMERS", "CUSTOMER_ID")
    assert customer["COMPANY_NAME"] == "Acme Corp"
    assert entities.entity_changes(customers) == 2  # one update: its DELETE and INSERT images
    stamped = customer["UPDATED_AT"]
    # The same record again, extracted later: curated takes the newer extraction, the entity sees nothing new.
    companies.sync(_company("Acme Corp", at=T0 + timedelta(hours=1)))
    entities.promote("HUBSPOT")
    entities.promote("HUBSPOT")
    [again] = entities.rows("CUSTOMERS", "CUSTOMER_ID")
    assert again["UPDATED_AT"] == stamped
    assert entities.entity_changes(customers) == 0  # so its embedding task has nothing to embed


def test_a_record_deleted_from_curated_leaves_the_entity_and_its_360_view(world) -> None:
    entities, companies, _ = world
    companies.sync(_company(), _company("Globex", ID="202"))
    entities.promote("HUBSPOT")
    assert [r["CUSTOMER_ID"] for r in entities.rows("CUSTOMERS", "CUSTOMER_ID")] == [
        "HUBSPOT_ID:101",
        "HUBSPOT_ID:202",
    ]
    # Curated mirrors the source: a record deleted there is a row gone from the curated table.
    entities.gate.execute(f"DELETE FROM {DATABASE}.HUBSPOT_DATA.COMPANIES WHERE ID = '101'")
    spec = entities.spec("CUSTOMERS", "HUBSPOT")
    assert entities.run_task(spec) == 1
    assert [r["CUSTOMER_ID"] for r in entities.rows("CUSTOMER_360", "CUSTOMER_ID")] == ["HUBSPOT_ID:202"]


def test_before_the_first_promotion_the_task_does_nothing(world) -> None:
    entities, companies, _ = world
    companies.sync(_company())
    entities.gate.execute(f"DROP TABLE IF EXISTS {DATABASE}.HUBSPOT_DATA.COMPANIES")
    assert entities.run_task(entities.spec("CUSTOMERS", "HUBSPOT")) == 0
    assert entities.rows("CUSTOMERS", "CUSTOMER_ID") == []


def test_records_matched_on_a_shared_key_fill_one_entity_and_only_the_owner_deletes_it(world) -> None:
    entities, companies, _ = world
    by_domain = replace(entities.spec("CUSTOMERS", "HUBSPOT"), match_on="DOMAIN")
    entities.specs = [by_domain]
    companies.sync(_company("Acme"), _company("Acme Holding", ID="303"))  # one domain, two records
    entities.promote("HUBSPOT")
    [customer] = entities.rows("CUSTOMERS", "CUSTOMER_ID")
    assert customer["CUSTOMER_ID"] == "DOMAIN:acme.example"
    owner = customer["HUBSPOT_ID"]
    other = "303" if owner == "101" else "101"
    entities.gate.execute(f"DELETE FROM {DATABASE}.HUBSPOT_DATA.COMPANIES WHERE ID = '{other}'")
    entities.run_task(by_domain)
    assert [r["HUBSPOT_ID"] for r in entities.rows("CUSTOMERS", "CUSTOMER_ID")] == [owner]
    entities.gate.execute(f"DELETE FROM {DATABASE}.HUBSPOT_DATA.COMPANIES WHERE ID = '{owner}'")
    entities.run_task(by_domain)
    assert entities.rows("CUSTOMERS", "CUSTOMER_ID") == []
