"""Tags and masking from the plan: every schema and warehouse self-describes, PII_LEVEL masks per data type."""

import json

import pytest
from pydantic import ValidationError

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.quality_gate.tables import GATE_TABLES
from models.naming import KNOWLEDGE_SCHEMA, METADATA_TAG, OPS_SCHEMA, PII_TAG, TAG_SCHEMA
from models.tag_metadata import PiiLevel, SophiaMetadata, TagValueTooLongError, UpdateFrequency
from tests.harness import Plan

TAG = "snowflake:index/tag:Tag"
ASSOCIATION = "snowflake:index/tagAssociation:TagAssociation"
MASKING = "snowflake:index/maskingPolicy:MaskingPolicy"
SCHEMA = "snowflake:index/schema:Schema"
WAREHOUSE = "snowflake:index/warehouse:Warehouse"
TABLE = "snowflake:index/table:Table"
GRANT_TO_ROLE = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
DATABASE = {"dev": "SOPHIA_AI_DEV", "prod": "SOPHIA_AI_PROD"}


def _values_by_object(plan: Plan, tag: str) -> dict[str, str]:
    return {
        identifier: association.inputs["tag_value"]
        for association in plan.of_type(ASSOCIATION)
        if association.inputs["tag_id"].endswith(f'"{tag}"')
        for identifier in association.inputs["object_identifiers"]
    }


def _metadata_by_object(plan: Plan) -> dict[str, dict]:
    return {k: json.loads(v) for k, v in _values_by_object(plan, METADATA_TAG).items()}


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
    expected |= {f'"{database}"."{t.inputs["schema"]}"."{t.inputs["name"]}"' for t in plan.of_type(TABLE)}
    assert expected <= set(metadata)
    # The knowledge tables and their embeddings, the data-quality gate's operations tables and the row
    # access mapping table: counted from their declarations.
    declared = [KNOWLEDGE_SCHEMA] * len(_all_tables()) + [OPS_SCHEMA] * (len(GATE_TABLES) + 1)
    assert sorted(t.inputs["schema"] for t in plan.of_type(TABLE)) == declared
    for identifier, value in metadata.items():
        parsed = SophiaMetadata.model_validate(value)
        assert len(parsed.to_tag_value(identifier)) <= 256
    raw = metadata[f'"{database}"."GONG_DATA_RAW"']
    assert (raw["entity_type"], raw["data_source"], raw["pii_level"]) == ("raw", "gong", "high")


def test_every_pii_column_carries_both_tags_and_every_stable_id_is_marked(dev_plan: Plan) -> None:
    metadata = _metadata_by_object(dev_plan)
    pii = _values_by_object(dev_plan, PII_TAG)
    for table in _all_tables():
        for column in table.columns:
            identifier = f'"SOPHIA_AI_DEV"."{KNOWLEDGE_SCHEMA}"."{table.name}"."{column.name}"'
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
    assert set(tags) == {METADATA_TAG, PII_TAG}
    pii = tags[PII_TAG].inputs
    assert pii["ordered_allowed_values"] == ["none", "low", "high", "sensitive"]
    assert not any("allowed_values" in tag.inputs for tag in tags.values())
    policies = {p.inputs["name"]: p.inputs for p in any_plan.of_type(MASKING)}
    assert {p["return_data_type"] for p in policies.values()} == {
        "VARCHAR",
        "NUMBER",
        "TIMESTAMP_NTZ",
        "VARIANT",
    }
    assert sorted(name.split(".")[-1].strip('"') for name in pii["masking_policies"]) == sorted(policies)
    assert "ordered_allowed_values" not in tags[METADATA_TAG].inputs


def test_masking_bodies_exempt_only_the_configured_roles(dev_plan: Plan, planner) -> None:
    for policy in dev_plan.of_type(MASKING):
        body = policy.inputs["body"]
        assert "CURRENT_ROLE() IN ('SOPHIA_AI_DEV_ADMIN_ROLE')" in body
        assert "SOPHIA_AI_DEV_APP_ROLE" not in body
        assert (
            f"SYSTEM$GET_TAG_ON_CURRENT_COLUMN('SOPHIA_AI_DEV.{TAG_SCHEMA}.{PII_TAG}') IN ('none', 'low')"
            in body
        )
        assert policy.inputs["arguments"][0]["type"] == policy.inputs["return_data_type"]
    widened = planner("dev", {"piiAllowedRoles": ["ADMIN", "ETL"]})
    body = widened.of_type(MASKING)[0].inputs["body"]
    assert "CURRENT_ROLE() IN ('SOPHIA_AI_DEV_ADMIN_ROLE', 'SOPHIA_AI_DEV_ETL_ROLE')" in body


def test_the_owner_role_makes_tags_and_policies_in_ops(any_plan: Plan) -> None:
    owner = _owner(any_plan)
    for resource in any_plan.of_type(TAG) + any_plan.of_type(MASKING):
        assert resource.provider_role == owner
        assert resource.inputs["schema"] == TAG_SCHEMA


def test_each_tag_association_id_is_unique_and_each_object_gets_one_value(any_plan: Plan) -> None:
    associations = any_plan.of_type(ASSOCIATION)
    ids = [(a.inputs["tag_id"], a.inputs["tag_value"], a.inputs["object_type"]) for a in associations]
    assert len(ids) == len(set(ids))
    tagged = [
        (a.inputs["tag_id"], a.inputs["object_type"], identifier)
        for a in associations
        for identifier in a.inputs["object_identifiers"]
    ]
    assert len(tagged) == len(set(tagged))


def test_objects_sharing_a_value_share_one_association(any_plan: Plan) -> None:
    (warehouses,) = [a for a in any_plan.of_type(ASSOCIATION) if a.inputs["object_type"] == "WAREHOUSE"]
    assert sorted(warehouses.inputs["object_identifiers"]) == sorted(
        f'"{w.inputs["name"]}"' for w in any_plan.of_type(WAREHOUSE)
    )
    high = [a for a in any_plan.of_type(ASSOCIATION) if a.inputs["tag_value"] == "high"]
    assert len(high) == 1 and len(high[0].inputs["object_identifiers"]) > 1


def test_the_role_attaching_masking_policies_holds_apply_masking_policy(any_plan: Plan) -> None:
    (pii_tag,) = [t for t in any_plan.of_type(TAG) if t.inputs.get("masking_policies")]
    holds = [
        g
        for g in any_plan.of_type(GRANT_TO_ROLE)
        if g.inputs["account_role_name"] == pii_tag.provider_role
        and g.inputs.get("on_account")
        and "APPLY MASKING POLICY" in g.inputs["privileges"]
    ]
    assert len(holds) == 1
    assert holds[0].urn in pii_tag.dependencies


def test_tags_are_set_by_the_owner_of_the_objects_with_apply_on_the_tag(any_plan: Plan) -> None:
    owner = _owner(any_plan)
    tags = {
        f'"{t.inputs["database"]}"."{t.inputs["schema"]}"."{t.inputs["name"]}"': t
        for t in any_plan.of_type(TAG)
    }
    warehouses = {f'"{w.inputs["name"]}"': w for w in any_plan.of_type(WAREHOUSE)}
    for association in any_plan.of_type(ASSOCIATION):
        tag = tags[association.inputs["tag_id"]]
        if association.inputs["object_type"] != "WAREHOUSE":
            # Objects inside the database and the tags are both the owner's, which may set its own tags.
            assert association.provider_role == tag.provider_role == owner
            continue
        assert association.provider_role == "SYSADMIN"
        assert {warehouses[i].provider_role for i in association.inputs["object_identifiers"]} == {"SYSADMIN"}
        (apply,) = [
            g
            for g in any_plan.of_type(GRANT_TO_ROLE)
            if g.inputs["account_role_name"] == "SYSADMIN"
            and g.inputs.get("on_schema_object")
            == {"object_type": "TAG", "object_name": association.inputs["tag_id"]}
        ]
        assert apply.inputs["privileges"] == ["APPLY"]
        assert apply.urn in association.dependencies


def _owner(plan: Plan) -> str:
    (schema_role,) = {s.provider_role for s in plan.of_type(SCHEMA)}
    assert schema_role.endswith("_ADMIN_ROLE")
    return schema_role


def test_tag_value_over_the_limit_is_rejected_naming_the_object() -> None:
    metadata = SophiaMetadata(
        entity_type="x" * 240,
        data_source="gong",
        update_frequency=UpdateFrequency.HOURLY,
        pii_level=PiiLevel.NONE,
        vector_index=False,
    )
    with pytest.raises(TagValueTooLongError, match=rf"{METADATA_TAG} on DB\.S\.T would be \d+ characters"):
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
