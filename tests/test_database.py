"""The database and its schemas: the spec's layout, managed access, retention, protection in prod."""

from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA
from models.schema_layout import FIXED_SCHEMAS
from tests.harness import DELETE, Plan

DATABASE = "snowflake:index/database:Database"
SCHEMA = "snowflake:index/schema:Schema"
OWNER = {"SOPHIA_AI_DEV": "SOPHIA_AI_DEV_ADMIN_ROLE", "SOPHIA_AI_PROD": "SOPHIA_AI_ADMIN_ROLE"}
FIXED = {spec.name for spec in FIXED_SCHEMAS}
AIRBYTE_INTERNAL = "AIRBYTE_INTERNAL"


def _schema_names(plan: Plan) -> set[str]:
    return {schema.inputs["name"] for schema in plan.of_type(SCHEMA)}


def test_dev_schemas_include_raw_and_curated_per_source(dev_plan: Plan) -> None:
    per_source = {f"{s}_DATA{suffix}" for s in ("GONG", "HUBSPOT", "SLACK") for suffix in ("", "_RAW")}
    assert _schema_names(dev_plan) == FIXED | per_source | {AIRBYTE_INTERNAL}


def test_prod_adds_its_extra_sources(prod_plan: Plan) -> None:
    assert {"NOTION_DATA_RAW", "NOTION_DATA", "SALESFORCE_DATA_RAW", "SALESFORCE_DATA"} <= _schema_names(
        prod_plan
    )


def test_sources_listed_beside_airbyte_are_accepted_when_they_agree(dev_plan: Plan, planner) -> None:
    plan = planner("dev", {"sources": ["SLACK", "GONG", "HUBSPOT"]})
    assert _schema_names(plan) == _schema_names(dev_plan)


def test_sources_come_from_config(planner) -> None:
    # Without Airbyte there is no gate task, so no receiver user either.
    # Entity mappings read Airbyte's streams, so they go with it.
    without_airbyte = {"airbyte": DELETE, "serviceUsers.HOOKS": DELETE, "entityMappings": DELETE}
    plan = planner("dev", {"sources": ["ZENDESK"], **without_airbyte})
    assert _schema_names(plan) == FIXED | {"ZENDESK_DATA_RAW", "ZENDESK_DATA", AIRBYTE_INTERNAL}
    assert _schema_names(planner("dev", {"sources": [], **without_airbyte})) == FIXED


def test_airbyte_internal_schema_is_managed_with_ordinary_retention(dev_plan: Plan, prod_plan: Plan) -> None:
    """Airbyte's own load and dedup tables: declared like any schema, not critical data."""
    for plan, retention in ((dev_plan, 1), (prod_plan, 7)):
        schema = plan.named(SCHEMA, AIRBYTE_INTERNAL)
        assert schema.inputs["with_managed_access"] == "true"
        assert schema.inputs["data_retention_time_in_days"] == retention
        assert schema.provider_role == OWNER[plan.named(DATABASE, schema.inputs["database"]).inputs["name"]]


def test_every_schema_is_managed_in_the_stack_database_and_made_by_its_owner(any_plan: Plan) -> None:
    (database,) = any_plan.of_type(DATABASE)
    for schema in any_plan.of_type(SCHEMA):
        assert schema.inputs["with_managed_access"] == "true"
        assert schema.inputs["database"] == database.inputs["name"]
        assert schema.provider_role == OWNER[database.inputs["name"]]
    assert database.provider_role == "SYSADMIN"


def test_retention_per_stack(dev_plan: Plan, prod_plan: Plan) -> None:
    assert {s.inputs["data_retention_time_in_days"] for s in dev_plan.of_type(SCHEMA)} == {1}
    prod = {s.inputs["name"]: s.inputs["data_retention_time_in_days"] for s in prod_plan.of_type(SCHEMA)}
    assert prod[KNOWLEDGE_SCHEMA] == prod["GONG_DATA"] == 90
    assert prod["GONG_DATA_RAW"] == prod[OPS_SCHEMA] == 7


def test_only_prod_protects_stateful_resources(dev_plan: Plan, prod_plan: Plan) -> None:
    stateful = (
        DATABASE,
        SCHEMA,
        "snowflake:index/table:Table",
        "snowflake:index/streamOnTable:StreamOnTable",
    )
    assert all(r.protect for r in prod_plan.resources if r.type in stateful)
    assert not any(r.protect for r in dev_plan.resources if r.type in stateful)
    assert not any(r.protect for r in prod_plan.resources if r.type not in stateful)
