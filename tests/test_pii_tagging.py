"""The PII tagging task as the stacks declare it: from piiColumns, a started task per source, counted in credits."""

from pathlib import Path

import pytest

from models.enums import FunctionalRole
from models.naming import Naming
from models.tag_metadata import PiiLevel
from offline.stack_files import load_stack_files
from sophia.cli import EXIT_INVALID
from stack.config import StackConfig
from stack.loader import load_stack_config
from stack.scheduled_work import scheduled_work
from tests.airbyte.test_config import changed, rejection, valid, validate_airbyte_config
from tests.harness import PROJECT_DIR, Plan, plan_edited_dev_stack

TASK = "snowflake:index/task:Task"
GRANT_TO_ROLE = "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole"
COMPONENT = "sophia:pii_tagging:PiiTagging"
NS = "sophia-data-platform:"
NAMING = {"dev": Naming("SOPHIA_AI_DEV", "SOPHIA_AI_DEV"), "prod": Naming("SOPHIA_AI", "SOPHIA_AI_PROD")}


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> tuple[str, Plan]:
    return request.param, {"dev": dev_plan, "prod": prod_plan}[request.param]


def _config(name: str) -> StackConfig:
    files = load_stack_files(PROJECT_DIR, name)
    return load_stack_config(files.project, files.values, files.secret_keys)


def test_pii_columns_take_a_pii_level_and_default_to_none() -> None:
    config = validate_airbyte_config(changed("sources.GONG.streams.0.piiColumns", {"email": "high"}))
    assert config.sources["GONG"].streams[0].pii_columns == {"email": PiiLevel.HIGH}
    assert validate_airbyte_config(valid()).sources["SLACK"].streams[0].pii_columns == {}


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "piiColumns",
            {"email": "secret"},
            "streams.0.piiColumns.email\n  Value error, piiColumns 'secret' is",
        ),
        ("piiColumns", {"email": "secret"}, "'none', 'low', 'high', 'sensitive'"),
        ("piiColumns", ["email"], "streams.0.piiColumns"),
        ("entityType", "Call Record", "streams.0.entityType"),
    ],
)
def test_bad_pii_columns_or_entity_type_name_the_key(path: str, value: object, expected: str) -> None:
    assert expected in rejection(changed(f"sources.GONG.streams.0.{path}", value))


def test_a_bad_pii_level_in_a_stack_file_exits_2_naming_the_key(tmp_path: Path) -> None:
    code, errors = plan_edited_dev_stack(tmp_path, "emailAddress: high", "emailAddress: secret")

    assert code == EXIT_INVALID
    assert f"{NS}airbyte.sources.GONG.streams.1.piiColumns.emailAddress" in errors


def test_the_shipped_stacks_declare_the_obvious_pii_columns(stack) -> None:
    name, _ = stack
    sources = _config(name).airbyte.sources
    streams = {(source, s.name): s for source, spec in sources.items() for s in spec.streams}
    assert streams["GONG", "users"].pii_columns["emailAddress"] is PiiLevel.HIGH
    assert streams["HUBSPOT", "contacts"].pii_columns["properties_email"] is PiiLevel.HIGH
    assert streams["SLACK", "channel_messages"].pii_columns["user"] is PiiLevel.LOW


def test_every_source_has_a_started_task_owned_by_the_owner_on_the_gate_schedule(stack) -> None:
    name, planned = stack
    config = _config(name)
    tasks = {t.inputs["name"]: t for t in planned.of_type(TASK) if f"${COMPONENT}$" in t.urn}
    assert sorted(tasks) == sorted(Naming.pii_tagging_task(s) for s in config.airbyte.sources)
    grant = next(g for g in planned.of_type(GRANT_TO_ROLE) if f"${COMPONENT}$" in g.urn)
    assert grant.inputs["privileges"] == ["APPLY TAG"] and grant.provider_role == "SECURITYADMIN"
    assert grant.inputs["account_role_name"] == NAMING[name].functional_role(FunctionalRole.ADMIN)
    for source in config.airbyte.sources:
        task = tasks[Naming.pii_tagging_task(source)]
        assert task.provider_role == NAMING[name].functional_role(FunctionalRole.ADMIN)
        assert task.inputs["schema"] == "SOPHIA_OPS"
        assert task.inputs["started"] is True
        assert task.inputs["schedule"] == {"using_cron": "30 * * * * UTC"}  # the gate's
        assert task.inputs["user_task_managed_initial_warehouse_size"] == "XSMALL"
        assert grant.urn in task.dependencies
        assert task.inputs["sql_statement"].startswith("-- Airbyte creates the RAW tables")
    body = tasks[Naming.pii_tagging_task("HUBSPOT")].inputs["sql_statement"]
    db = NAMING[name].database
    for schema in ("HUBSPOT_DATA_RAW", "HUBSPOT_DATA"):
        assert (
            f"ALTER TABLE {db}.{schema}.CONTACTS MODIFY COLUMN PROPERTIES_EMAIL "
            f"SET TAG {db}.SOPHIA_OPS.PII_LEVEL = 'high';"
        ) in body
        assert (
            f"ALTER TABLE {db}.{schema}.CONTACTS SET TAG {db}.SOPHIA_OPS.SOPHIA_AI_METADATA = "
            '\'{"data_source":"hubspot","entity_type":"contact","pii_level":"high",'
            '"update_frequency":"hourly","vector_index":false}\';'
        ) in body
    # A stream without PII columns still gets its table's metadata tag, and no PII_LEVEL.
    assert f"ALTER TABLE {db}.HUBSPOT_DATA.DEALS SET TAG" in body
    assert f"{db}.HUBSPOT_DATA.DEALS MODIFY COLUMN" not in body


def test_the_tasks_count_in_scheduled_credits_as_serverless_work_on_the_gate_schedule(stack) -> None:
    name, _ = stack
    config = _config(name)
    work = {w.what: w for w in scheduled_work(config)}
    tagging = work["PII tagging tasks"]
    assert tagging.count == len(config.airbyte.sources)
    assert (tagging.schedule, tagging.warehouse) == (work["quality gate tasks"].schedule, None)
