"""The knowledge layer from the plan: catalog tables, streams, embedding tasks and views, per stack."""

import pytest

from catalog.embedding import EmbeddingModel
from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.views import ANALYTICAL_VIEWS, EMBEDDING_FRESHNESS, ENTITY_SEARCH_INDEX
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA, PII_TAG, SEMANTIC_SCHEMA
from tests.harness import Plan, declared_resources, failed_plan

TABLE = "snowflake:index/table:Table"
STREAM = "snowflake:index/streamOnTable:StreamOnTable"
TASK = "snowflake:index/task:Task"
VIEW = "snowflake:index/view:View"
NS = "sophia-data-platform:"


def test_tables_come_from_the_catalog_with_change_tracking(any_plan: Plan) -> None:
    tables = {t.inputs["name"]: t for t in any_plan.of_type(TABLE) if t.inputs["schema"] != "SOPHIA_OPS"}
    for spec in FOUNDATIONAL_CATALOG.tables:
        for declared in (spec, spec.embeddings_table()):
            table = tables.pop(declared.name)
            assert table.inputs["schema"] == KNOWLEDGE_SCHEMA
            assert table.inputs["change_tracking"] is True
            assert [(c["name"], c["type"], c["nullable"]) for c in table.inputs["columns"]] == [
                (c.name, c.type.value, c.nullable) for c in declared.columns
            ]
            assert table.provider_role.endswith("_ADMIN_ROLE")
    assert tables == {}
    embeddings = any_plan.named(TABLE, "EMPLOYEES_EMBEDDINGS").inputs["columns"]
    assert {"name": "EMBEDDING", "type": "VECTOR(FLOAT, 768)"}.items() <= next(
        c for c in embeddings if c["name"] == "EMBEDDING"
    ).items()


def test_one_stream_per_entity_table_never_on_the_embeddings(any_plan: Plan) -> None:
    streamed = sorted(s.inputs["table"].split(".")[-1].strip('"') for s in any_plan.of_type(STREAM))
    assert streamed == sorted(spec.name for spec in FOUNDATIONAL_CATALOG.tables)
    assert all(s.inputs["append_only"] == "false" for s in any_plan.of_type(STREAM))


def test_tasks_run_when_the_stream_has_data_on_the_ml_warehouse(dev_plan: Plan, prod_plan: Plan) -> None:
    for plan, warehouse, schedule in (
        # Dev embeds every six hours; in both, the eight tasks fire in one minute and share a resume.
        (dev_plan, "SOPHIA_AI_DEV_ML_WH", "15 */6 * * * UTC"),
        (prod_plan, "SOPHIA_AI_ML_WH", "15 * * * * UTC"),
    ):
        tasks = [t for t in plan.of_type(TASK) if t.inputs["schema"] == "FOUNDATIONAL_KNOWLEDGE"]
        assert len(tasks) == len(FOUNDATIONAL_CATALOG.tables)
        for task in tasks:
            table = task.inputs["name"].removesuffix("_EMBED_TASK")
            assert task.inputs["when"] == f"SYSTEM$STREAM_HAS_DATA('{KNOWLEDGE_SCHEMA}.{table}_STREAM')"
            assert f"{table}_EMBEDDINGS" in task.inputs["sql_statement"]
            assert "SNOWFLAKE.CORTEX.EMBED_TEXT_768('e5-base-v2'" in task.inputs["sql_statement"]
            assert task.inputs["schedule"] == {"using_cron": schedule}
            assert task.inputs["warehouse"] == warehouse
            # Started in every stack that declares the streams: an unconsumed stream goes stale and the
            # provider recreates it on every `up` (stream_common.go, RecreateWhenStreamIsStale).
            assert task.inputs["started"] is True
            assert task.provider_role.endswith("_ADMIN_ROLE")


def test_schedule_model_and_warehouse_come_from_config(planner) -> None:
    plan = planner(
        "dev",
        {
            "embedding": {
                "model": "snowflake-arctic-embed-m-v1.5",
                "schedule": "USING CRON 0 * * * * UTC",
                "warehouse": "ETL",
            }
        },
    )
    task = plan.named(TASK, "EMPLOYEES_EMBED_TASK").inputs
    assert task["schedule"] == {"using_cron": "0 * * * * UTC"}
    assert task["warehouse"] == "SOPHIA_AI_DEV_ETL_WH"
    assert "EMBED_TEXT_768('snowflake-arctic-embed-m-v1.5'" in task["sql_statement"]


def test_views_in_semantic_and_ops(any_plan: Plan) -> None:
    views = {
        (v.inputs["schema"], v.inputs["name"])
        for v in any_plan.of_type(VIEW)
        if "sophia:knowledge:KnowledgeLayer" in v.urn  # the quality gate declares its own view
    }
    assert views == {
        (SEMANTIC_SCHEMA, ENTITY_SEARCH_INDEX),
        *((SEMANTIC_SCHEMA, name) for name in ANALYTICAL_VIEWS),
        (OPS_SCHEMA, EMBEDDING_FRESHNESS),
    }


BAD_INPUTS = {
    "1024-dimension model": (
        {"embedding": {"model": "snowflake-arctic-embed-l-v2.0"}},
        [f"{NS}embedding.model", "EMBED_TEXT_1024 model", *[m.value for m in EmbeddingModel]],
    ),
    "unknown model": (
        {"embedding": {"model": "gpt-embed"}},
        [f"{NS}embedding.model", "not a Cortex EMBED_TEXT_768"],
    ),
    "invalid schedule": (
        {"embedding": {"schedule": "every hour"}},
        [f"{NS}embedding.schedule", "'<n> MINUTE'"],
    ),
    "invalid cron": (
        {"embedding": {"schedule": "USING CRON 61 * * * * UTC"}},
        [f"{NS}embedding.schedule", "not a valid 5-field cron"],
    ),
    "embedding on the analytics warehouse": (
        {"embedding": {"warehouse": "ANALYTICS"}},
        [f"{NS}embedding.warehouse", "'ML'", "'ETL'"],
    ),
    "PII level on a column not in the catalog": (
        {"piiOverrides": {"EMPLOYEES.SHOE_SIZE": "high"}},
        [f"{NS}piiOverrides", "names column 'SHOE_SIZE', which is not in EMPLOYEES"],
    ),
    "PII level on a table not in the catalog": (
        {"piiOverrides": {"PETS.NAME": "high"}},
        [f"{NS}piiOverrides", "names table 'PETS'"],
    ),
    "PII on an embedded column": (
        {"piiOverrides": {"EMPLOYEES.JOB_TITLE": "sensitive"}},
        [f"{NS}piiOverrides: table EMPLOYEES: embed_columns ['JOB_TITLE'] hold high or sensitive PII"],
    ),
    "unknown PII level override": (
        {"piiOverrides": {"EMPLOYEES.WORK_EMAIL": "secret"}},
        [f"{NS}piiOverrides.EMPLOYEES.WORK_EMAIL", "'sensitive'"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS), ids=str)
def test_bad_knowledge_config_stops_before_any_resource(case: str) -> None:
    overrides, expected = BAD_INPUTS[case]
    failure = failed_plan("dev", overrides)
    for fragment in expected:
        assert fragment in str(failure.cause), f"{fragment!r} not in:\n{failure.cause}"
    assert declared_resources(failure) == []


def test_pii_override_raises_a_column_to_sensitive(planner) -> None:
    plan = planner("dev", {"piiOverrides": {"EMPLOYEES.LOCATION": "sensitive"}})
    pii = [
        a.inputs["tag_value"]
        for a in plan.of_type("snowflake:index/tagAssociation:TagAssociation")
        if a.inputs["tag_id"].endswith(f'"{PII_TAG}"')
        and f'"SOPHIA_AI_DEV"."{KNOWLEDGE_SCHEMA}"."EMPLOYEES"."LOCATION"' in a.inputs["object_identifiers"]
    ]
    assert pii == ["sensitive"]
