"""Tags and masking from the plan: every schema and warehouse self-describes, PII_LEVEL masks per data type."""

import json

import pytest
from pydantic import ValidationError

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from models.tag_metadata import PiiLevel, SophiaMetadata, TagValueTooLongError, UpdateFrequency
from tests.harness import Plan

TAG = "snowflake:index/tag:Tag"
ASSOCIATION = "snowflake:index/tagAssociation:TagAssociation"
MASKING = "snowflake:index/maskingPolicy:MaskingPolicy"
SCHEMA = "snowflake:index/schema:Schema"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"
TABLE = "snowflake:index/table:Table"
DATABASE = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI_PROD"}


def _metadata_by_object(plan: Plan) -> dict[str, dict]:
    return {
        association.inputs["object_identifiers"][0]: json.loads(association.inputs["tag_value"])
        for association in plan.of_type(ASSOCIATION)
        if association.inputs["tag_id"].endswith('"SOPHIA_AI_METADATA"')
    }


def _all_tables():
    return [t for table in FOUNDATIONAL_CATALOG.tables for t in (table, table.embeddings_table())]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_schema_table_and_warehouse_carries_valid_metadata(
    stack: str, dev_plan: Plan, prod_plan: Plan
) -> None:
    plan = {"dev": dev_plan, "prod": prod_plan}[stack]
    database = DATABASE[stack]
    metadata = _metadata_by_object(plan)
    expected = {f'"{database}"."{s.inputs["name"]}"' for s in plan.of_type(SCHEMA)}
    expected |= {f'"{w.inputs["name"]}"' for w in plan.of_type(WAREHOUSE)}
    expected |= {f'"{database}"."FOUNDATIONAL_KNOWLEDGE"."{t.inputs["name"]}"' for t in plan.of_type(TABLE)}
    assert expected <= set(metadata)
    assert len(plan.of_type(TABLE)) == 16
    for identifier, value in metadata.items():
        parsed = SophiaMetadata.model_validate(value)
        assert len(parsed.to_tag_value(identifier)) <= 256
    raw = metadata[f'"{database}"."GONG_DATA_RAW"']
    assert (raw["entity_type"], raw["data_source"], raw["pii_level"]) == ("raw", "gong", "high")


def test_every_pii_column_carries_both_tags_and_every_stable_id_is_marked(dev_plan: Plan) -> None:
    metadata = _metadata_by_object(dev_plan)
    pii = {
        a.inputs["object_identifiers"][0]: a.inputs["tag_value"]
        for a in dev_plan.of_type(ASSOCIATION)
        if a.inputs["tag_id"].endswith('"PII_LEVEL"')
    }
    for table in _all_tables():
        for column in table.columns:
            identifier = f'"SOPHIA_AI_DEV"."FOUNDATIONAL_KNOWLEDGE"."{table.name}"."{column.name}"'
            if column.pii_level is not PiiLevel.NONE:
                assert pii[identifier] == column.pii_level.value
                assert metadata[identifier]["pii_level"] == column.pii_level.value
            else:
                assert identifier not in pii
            if column.is_primary_identifier:
                assert metadata[identifier]["is_primary_identifier"] is True
    assert {"high"} <= set(pii.values())


def test_pii_tag_allows_exactly_the_four_levels_and_masks_every_type(any_plan: Plan) -> None:
    tags = {t.inputs["name"]: t for t in any_plan.of_type(TAG)}
    assert set(tags) == {"SOPHIA_AI_METADATA", "PII_LEVEL"}
    pii = tags["PII_LEVEL"].inputs
    assert sorted(pii["allowed_values"]) == sorted(level.value for level in PiiLevel)
    policies = {p.inputs["name"]: p.inputs for p in any_plan.of_type(MASKING)}
    assert {p["return_data_type"] for p in policies.values()} == {
        "VARCHAR",
        "NUMBER",
        "TIMESTAMP_NTZ",
        "VARIANT",
    }
    assert sorted(name.split(".")[-1].strip('"') for name in pii["masking_policies"]) == sorted(policies)
    assert "allowed_values" not in tags["SOPHIA_AI_METADATA"].inputs


def test_masking_bodies_exempt_only_the_configured_roles(dev_plan: Plan, planner) -> None:
    for policy in dev_plan.of_type(MASKING):
        body = policy.inputs["body"]
        assert "CURRENT_ROLE() IN ('SOPHIA_AI_DEV_ADMIN_ROLE')" in body
        assert "SOPHIA_AI_DEV_APP_ROLE" not in body
        assert (
            "SYSTEM$GET_TAG_ON_CURRENT_COLUMN('SOPHIA_AI_DEV.SOPHIA_OPS.PII_LEVEL') IN ('none', 'low')"
            in body
        )
        assert policy.inputs["arguments"][0]["type"] == policy.inputs["return_data_type"]
    widened = planner("dev", {"piiAllowedRoles": ["ADMIN", "ETL"]})
    body = widened.of_type(MASKING)[0].inputs["body"]
    assert "CURRENT_ROLE() IN ('SOPHIA_AI_DEV_ADMIN_ROLE', 'SOPHIA_AI_DEV_ETL_ROLE')" in body


def test_tags_and_policies_live_in_ops_and_are_made_by_sysadmin(any_plan: Plan) -> None:
    for resource in any_plan.of_type(TAG) + any_plan.of_type(MASKING) + any_plan.of_type(ASSOCIATION):
        assert resource.provider_role == "SYSADMIN"
    for resource in any_plan.of_type(TAG) + any_plan.of_type(MASKING):
        assert resource.inputs["schema"] == "SOPHIA_OPS"


def test_tag_value_over_the_limit_is_rejected_naming_the_object() -> None:
    metadata = SophiaMetadata(
        entity_type="x" * 240,
        data_source="gong",
        update_frequency=UpdateFrequency.HOURLY,
        pii_level=PiiLevel.NONE,
        vector_index=False,
    )
    with pytest.raises(TagValueTooLongError, match=r"SOPHIA_AI_METADATA on DB\.S\.T would be \d+ characters"):
        metadata.to_tag_value("DB.S.T")


def test_unknown_pii_level_is_rejected_with_the_allowed_values() -> None:
    with pytest.raises(ValidationError, match="'none', 'low', 'high' or 'sensitive'"):
        SophiaMetadata(
            entity_type="employee",
            data_source="gong",
            update_frequency="hourly",
            pii_level="secret",
            vector_index=False,
        )


def test_tag_json_round_trips() -> None:
    metadata = SophiaMetadata(
        entity_type="employee",
        data_source="hubspot",
        update_frequency=UpdateFrequency.DAILY,
        pii_level=PiiLevel.SENSITIVE,
        vector_index=True,
        is_primary_identifier=True,
    )
    value = metadata.to_tag_value("DB.S.T.C")
    assert SophiaMetadata.model_validate_json(value) == metadata
    assert value == json.dumps(json.loads(value), sort_keys=True, separators=(",", ":"))
