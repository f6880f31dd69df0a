"""The harness itself: every resource option the program sets reaches the test, and inputs are normalized."""

from pathlib import Path

from offline.engine import run_program
from tests.planned import Secret, planned_resources

PROGRAM = """
import pulumi
import pulumi_snowflake as snowflake

provider = snowflake.Provider("sys", role="SYSADMIN", token=pulumi.Output.secret("t"))
database = snowflake.Database("db", name="DB", data_retention_time_in_days=7)
snowflake.Schema(
    "schema",
    database="DB",
    name="S",
    opts=pulumi.ResourceOptions(
        provider=provider,
        protect=True,
        retain_on_delete=True,
        deleted_with=database,
        depends_on=[database],
        aliases=[pulumi.Alias(name="old-schema")],
        ignore_changes=["comment"],
    ),
)
"""


def test_options_and_inputs_reach_the_test(tmp_path: Path) -> None:
    program = tmp_path / "__main__.py"
    program.write_text(PROGRAM)
    resources = {r.name: r for r in planned_resources(run_program(program, "p", "s", {}, set()))}
    schema, database, provider = resources["schema"], resources["db"], resources["sys"]
    assert schema.protect and schema.retain_on_delete
    assert schema.deleted_with == database.urn
    assert schema.dependencies == (database.urn,)
    assert schema.aliases == ("old-schema",)
    assert schema.ignore_changes == ("comment",)
    assert schema.provider.startswith(provider.urn) and schema.provider_role == "SYSADMIN"
    assert schema.urn == "urn:pulumi:s::p::snowflake:index/schema:Schema::schema"
    assert database.inputs["data_retention_time_in_days"] == 7
    assert isinstance(database.inputs["data_retention_time_in_days"], int)
    assert provider.inputs["token"] == Secret()
