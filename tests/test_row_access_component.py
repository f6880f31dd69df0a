"""Row access as declared: the mapping table, one policy per restriction, attached by Execute with a revert."""

import re

import yaml

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.security import row_access_body
from stack.security import SecurityConfig
from tests.doc_pages import blocks
from tests.harness import PROJECT_DIR, Plan, assert_config_refused

POLICY = "snowflake:index/rowAccessPolicy:RowAccessPolicy"
TABLE = "snowflake:index/table:Table"
EXECUTE = "snowflake:index/execute:Execute"
COMPONENT = "sophia:row_access:RowAccess"
MAPPING = "SOPHIA_AI_DEV.SOPHIA_OPS.ROW_ACCESS_MAP"


def _attachments(plan: Plan) -> dict[str, dict]:
    found = {}
    for execute in plan.of_type(EXECUTE):
        match = re.search(
            r"ALTER TABLE (\S+) ADD ROW ACCESS POLICY (\S+) ON \((\w+)\)", execute.inputs["execute"]
        )
        if match:
            found[match.group(1)] = {"policy": match.group(2), "column": match.group(3), "resource": execute}
    return found


def test_each_declared_restriction_is_a_policy_over_the_mapping(dev_plan: Plan) -> None:
    policies = {p.inputs["name"]: p for p in dev_plan.of_type(POLICY)}
    assert sorted(policies) == ["CUSTOMERS_BY_SEGMENT_ROW_ACCESS", "DOCUMENTS_BY_TYPE_ROW_ACCESS"]
    customers = policies["CUSTOMERS_BY_SEGMENT_ROW_ACCESS"]
    assert customers.inputs["arguments"] == [{"name": "VAL", "type": "VARCHAR"}]
    assert customers.inputs["body"] == row_access_body(
        MAPPING, "CUSTOMERS_BY_SEGMENT_ROW_ACCESS", ["SOPHIA_AI_DEV_ADMIN_ROLE"]
    )
    assert "--" not in customers.inputs["body"]  # the provider folds whitespace: a comment would eat the rest
    mapping = dev_plan.named(TABLE, "ROW_ACCESS_MAP")
    for policy in policies.values():
        assert (policy.inputs["database"], policy.inputs["schema"]) == ("SOPHIA_AI_DEV", "SOPHIA_OPS")
        assert policy.provider_role == mapping.provider_role == "SOPHIA_AI_DEV_ADMIN_ROLE"
        assert mapping.urn in policy.dependencies


def test_policies_are_attached_to_their_tables_after_both_exist(dev_plan: Plan) -> None:
    attachments = _attachments(dev_plan)
    assert {table: (a["policy"], a["column"]) for table, a in attachments.items()} == {
        "SOPHIA_AI_DEV.FOUNDATIONAL_KNOWLEDGE.CUSTOMERS": (
            "SOPHIA_AI_DEV.SOPHIA_OPS.CUSTOMERS_BY_SEGMENT_ROW_ACCESS",
            "SEGMENT",
        ),
        "SOPHIA_AI_DEV.FOUNDATIONAL_KNOWLEDGE.COMPANY_DOCUMENTS": (
            "SOPHIA_AI_DEV.SOPHIA_OPS.DOCUMENTS_BY_TYPE_ROW_ACCESS",
            "DOCUMENT_TYPE",
        ),
    }
    tables = {t.inputs["name"]: t for t in dev_plan.of_type(TABLE)}
    policies = {p.inputs["name"]: p for p in dev_plan.of_type(POLICY)}
    for table, attachment in attachments.items():
        execute = attachment["resource"]
        policy = attachment["policy"].rsplit(".", 1)[-1]
        assert (
            execute.inputs["revert"] == f"ALTER TABLE {table} DROP ROW ACCESS POLICY {attachment['policy']}"
        )
        assert "POLICY_REFERENCES" in execute.inputs["query"]
        # A table holds one row access policy: a changed attachment drops the old before adding the new.
        assert execute.delete_before_replace
        assert {tables[table.rsplit(".", 1)[-1]].urn, policies[policy].urn} <= set(execute.dependencies)
        assert execute.provider_role == "SOPHIA_AI_DEV_ADMIN_ROLE"


def test_the_component_declares_its_restrictions_for_the_policy_pack(dev_plan: Plan) -> None:
    (component,) = dev_plan.of_type(COMPONENT)
    assert component.raw_inputs["restrictions"]["CUSTOMERS_BY_SEGMENT_ROW_ACCESS"] == {
        "tables": ["SOPHIA_AI_DEV.FOUNDATIONAL_KNOWLEDGE.CUSTOMERS"],
        "column": "SEGMENT",
    }


def test_see_all_roles_come_from_config(planner) -> None:
    plan = planner(
        "dev",
        {
            "security.rowAccess": {
                "BY_SEGMENT": {"tables": ["CUSTOMERS"], "column": "SEGMENT", "seeAllRoles": ["ADMIN", "ETL"]}
            }
        },
    )
    body = plan.named(POLICY, "BY_SEGMENT_ROW_ACCESS").inputs["body"]
    assert (
        "IS_ROLE_IN_SESSION('SOPHIA_AI_DEV_ADMIN_ROLE')\nOR IS_ROLE_IN_SESSION('SOPHIA_AI_DEV_ETL_ROLE')"
        in body
    )


def test_no_restriction_declares_no_policy_and_no_attachment(planner) -> None:
    plan = planner("dev", {"security.rowAccess": {}})
    assert plan.of_type(POLICY) == [] and _attachments(plan) == {}
    assert plan.named(TABLE, "ROW_ACCESS_MAP")  # the mapping is there for the first restriction


def test_bad_restrictions_are_refused_naming_the_key() -> None:
    assert_config_refused(
        "dev",
        {"security.rowAccess": {"X": {"tables": ["CUSTOMER"], "column": "SEGMENT"}}},
        ["security.rowAccess.X.tables 'CUSTOMER' is not allowed", "'CUSTOMERS'"],
    )
    assert_config_refused(
        "dev",
        {"security.rowAccess": {"X": {"tables": ["CUSTOMERS"], "column": "REGION"}}},
        ["security.rowAccess.X.column 'REGION' is not allowed", "'SEGMENT'"],
    )
    assert_config_refused(
        "dev",
        {
            "security.rowAccess": {
                "A": {"tables": ["CUSTOMERS"], "column": "SEGMENT"},
                "B": {"tables": ["CUSTOMERS"], "column": "INDUSTRY"},
            }
        },
        ["CUSTOMERS is restricted by both A and B"],
    )
    assert_config_refused(
        "dev",
        {
            "security.rowAccess": {
                "X": {"tables": ["CUSTOMERS"], "column": "SEGMENT", "seeAllRoles": ["ROOT"]}
            }
        },
        ["seeAllRoles"],
    )
    assert_config_refused(
        "dev",
        {"security.rowAccess": {"bad-name": {"tables": ["CUSTOMERS"], "column": "SEGMENT"}}},
        ["rowAccess"],
    )


def test_the_docs_declaration_example_is_valid_config() -> None:
    page = (PROJECT_DIR / "docs" / "security.md").read_text()
    (example,) = blocks(page, "yaml")
    security = SecurityConfig.model_validate(yaml.safe_load(example)["sophia-data-platform:security"])
    security.check_against(FOUNDATIONAL_CATALOG, ["APP"])
    assert security.row_access["CUSTOMERS_BY_SEGMENT"].column == "SEGMENT"
