"""The semantic layer as planned: entity tasks, the discovery view, the search service, checked against the SDK."""

import inspect
import re

import pulumi_snowflake as snowflake
import pytest
import sqlglot
from sqlglot import exp

from catalog.entity_mappings import maintenance_statement, task_statement
from catalog.semantic import SEARCH_ATTRIBUTES, SEARCH_COLUMN, TAGGED_OBJECTS
from models.access_matrix import SEARCH_SERVICE
from models.enums import FunctionalRole
from models.naming import OPS_SCHEMA, SEMANTIC_SCHEMA, Naming
from stack.semantic import SERVING_CREDITS_PER_GB_MONTH, longest_gap_minutes
from tests.harness import Plan
from tests.sql.entity_harness import dev_config

TASK, VIEW = "snowflake:index/task:Task", "snowflake:index/view:View"
SEARCH = "snowflake:index/cortexSearchService:CortexSearchService"
GRANT = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
PROVIDER = "pulumi:providers:snowflake"
_BLOCK = re.compile(
    r"^DECLARE\s+curated_tables INTEGER DEFAULT 0;\s+BEGIN\s+(?P<probe>SELECT .+?);\s+"
    r"IF \(curated_tables > 0\) THEN\s+(?P<body>.+?)\s+END IF;\s+END$",
    re.DOTALL,
)


def _documented(module: object, parameter: str) -> list[str]:
    """The values a pulumi-snowflake module's docstring lists for a parameter (`a` | `b` ...)."""
    source = inspect.getsource(module)  # type: ignore[arg-type]
    line = next(line for line in source.splitlines() if re.search(rf":param .*\] {parameter}:", line))
    # Valid values are `a` | `b` ...; the provider's flags are <code>a</code> | ..., then the promoted ones.
    text = line.split(f" {parameter}:", 1)[1].split("Promoted features")[0]
    return [a or b for a, b in re.findall(r"`([^`|]+)`|<code>([^<]+)</code>", text)]


def _entity_tasks(plan: Plan) -> list:
    return [t for t in plan.of_type(TASK) if t.inputs["name"].startswith("ENTITY_")]


def test_each_mapping_runs_after_its_sources_gate_task_in_the_gates_schema(dev_plan: Plan) -> None:
    tasks = {t.inputs["name"]: t.inputs for t in _entity_tasks(dev_plan)}
    assert sorted(tasks) == [
        "ENTITY_GONG_CALLS_TO_RELATIONSHIPS_TASK",
        "ENTITY_HUBSPOT_COMPANIES_TO_CUSTOMERS_TASK",
    ]
    gate_tasks = {t.inputs["name"] for t in dev_plan.of_type(TASK)}
    for name, task in tasks.items():
        source = name.split("_")[1]
        # A task graph lives in one schema; `afters` takes unqualified names (task.py, `afters`).
        assert task["schema"] == OPS_SCHEMA
        assert task["afters"] == [Naming.quality_gate_task(source)]
        assert set(task["afters"]) <= gate_tasks and "." not in task["afters"][0]
        assert "schedule" not in task and task["started"] is True
        sizes = _documented(snowflake.task, "user_task_managed_initial_warehouse_size")
        assert task["user_task_managed_initial_warehouse_size"] in sizes


@pytest.mark.parametrize("index", [0, 1])
def test_the_task_block_makes_the_stream_once_curated_exists_then_merges(index: int) -> None:
    config = dev_config()
    spec = config.entity_mapping_specs[index]
    naming = Naming(prefix="SOPHIA_AI_DEV", database="SOPHIA_AI_DEV")
    lines = task_statement(spec, config.catalog, naming).splitlines()
    block = _BLOCK.match("\n".join(line for line in lines if not line.lstrip().startswith("--")))
    assert block, (
        "a Snowflake Scripting block: DECLARE ... BEGIN SELECT ... INTO; IF (...) THEN ...; END IF; END"
    )
    probe = sqlglot.parse_one(block["probe"].replace(" INTO :curated_tables", ""), read="snowflake")
    assert {t.sql() for t in probe.find_all(exp.Table)} == {"SOPHIA_AI_DEV.INFORMATION_SCHEMA.TABLES"}
    assert f"TABLE_NAME = '{spec.stream}'" in block["probe"]
    create, merge = [s for s in block["body"].split(";") if s.strip()]
    assert re.fullmatch(
        rf"\s*CREATE STREAM IF NOT EXISTS SOPHIA_AI_DEV\.{OPS_SCHEMA}\.ENTITY_\w+_STREAM "
        rf"ON TABLE SOPHIA_AI_DEV\.{spec.source}_DATA\.{spec.stream} SHOW_INITIAL_ROWS = TRUE",
        create,
    )
    parsed = sqlglot.parse_one(merge, read="snowflake")
    assert isinstance(parsed, exp.Merge)
    assert sqlglot.parse_one(maintenance_statement(spec, config.catalog, naming), read="snowflake") == parsed
    assert parsed.this.sql() == f"SOPHIA_AI_DEV.FOUNDATIONAL_KNOWLEDGE.{spec.entity} AS entity"


def test_the_discovery_view_reads_tag_references_of_this_database_only(any_plan: Plan) -> None:
    view = any_plan.named(VIEW, TAGGED_OBJECTS).inputs
    tree = sqlglot.parse_one(view["statement"], read="snowflake")
    tables = {t.sql() for t in tree.find_all(exp.Table)}
    assert tables == {"SNOWFLAKE.ACCOUNT_USAGE.TAG_REFERENCES AS refs"}
    assert view["schema"] == SEMANTIC_SCHEMA
    assert f"refs.OBJECT_DATABASE = '{view['database']}'" in view["statement"]


def test_prod_serves_search_from_cortex_readable_by_the_app_role_alone(prod_plan: Plan) -> None:
    (service,) = prod_plan.of_type(SEARCH)
    inputs = service.inputs
    assert (inputs["name"], inputs["schema"], inputs["on"]) == (
        SEARCH_SERVICE,
        SEMANTIC_SCHEMA,
        SEARCH_COLUMN,
    )
    assert inputs["attributes"] == list(SEARCH_ATTRIBUTES)
    # The prod embedding schedule runs hourly: the index is never staler than the vectors.
    assert inputs["target_lag"] == "60 minutes"
    query = sqlglot.parse_one(inputs["query"], read="snowflake")
    selected = {e.alias_or_name for e in query.selects}
    assert {SEARCH_COLUMN, *SEARCH_ATTRIBUTES} <= selected
    grants = [
        g.inputs
        for g in prod_plan.of_type(GRANT)
        if "on_schema_object" in g.inputs
        and g.inputs["on_schema_object"].get("object_type") == "CORTEX SEARCH SERVICE"
    ]
    assert [g["account_role_name"] for g in grants] == [f"SOPHIA_AI_{FunctionalRole.APP.value}_ROLE"]
    assert grants[0]["privileges"] == ["USAGE"]
    documented = _documented(snowflake.grant_privileges_to_account_role, "on_schema_object")
    documented = documented or _documented(snowflake._inputs, "object_type")
    assert "CORTEX SEARCH SERVICE" in documented


def test_the_search_service_needs_its_preview_flag_on_the_provider_that_makes_it(prod_plan: Plan) -> None:
    (service,) = prod_plan.of_type(SEARCH)
    (provider,) = [p for p in prod_plan.of_type(PROVIDER) if p.inputs["role"] == service.provider_role]
    flag = "snowflake_cortex_search_service_resource"
    assert flag in provider.inputs["preview_features_enabled"]
    assert flag in _documented(snowflake.provider, "preview_features_enabled")


def test_the_plan_prices_search_serving_per_stack(dev_plan: Plan, prod_plan: Plan) -> None:
    assert dev_plan.of_type(SEARCH) == []
    assert dev_plan.stack_outputs["monthly_search_serving_credits"] == 0
    assert prod_plan.stack_outputs["monthly_search_serving_credits"] == pytest.approx(
        2 * SERVING_CREDITS_PER_GB_MONTH
    )


@pytest.mark.parametrize(
    ("schedule", "minutes"),
    [("60 MINUTES", 60), ("USING CRON 15 */6 * * * UTC", 360), ("USING CRON 0 9 * * 1-5 UTC", 3 * 24 * 60)],
)
def test_the_default_lag_is_the_embedding_schedules_longest_gap(schedule: str, minutes: int) -> None:
    assert longest_gap_minutes(schedule) == minutes
