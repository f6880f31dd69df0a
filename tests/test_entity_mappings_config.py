"""Entity mappings are checked against the streams the gate promotes and the catalog's entities, before any resource."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from offline.stack_files import load_stack_files
from stack.loader import load_stack_config
from tests.doc_pages import blocks
from tests.harness import DELETE, assert_config_refused

SHIPPED = json.loads(
    load_stack_files(Path(__file__).resolve().parent.parent, "dev").values[
        "sophia-data-platform:entityMappings"
    ]
)
COMPANIES, CALLS = SHIPPED


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    mappings = copy.deepcopy(SHIPPED)
    for key, value in changes.items():
        if value is None:
            mappings[index].pop(key)
        else:
            mappings[index][key] = value
    return mappings


def _columns(index: int, **changes: str | None) -> list[dict[str, Any]]:
    columns = {**SHIPPED[index]["columns"], **changes}
    return _with(index, columns={k: v for k, v in columns.items() if v is not None})


REFUSED = {
    "unknown entity": (
        _with(0, entity="CLIENTS"),
        ["entityMappings[0].entity", "'CLIENTS'", "'CUSTOMERS'", "'RELATIONSHIPS'"],
    ),
    "unknown source": (_with(0, source="ZENDESK"), ["entityMappings[0].source", "'ZENDESK'", "'HUBSPOT'"]),
    "stream the gate does not promote": (
        _with(0, stream="tickets"),
        ["entityMappings[0].stream", "'tickets'", "'companies'", "'deals'"],
    ),
    "field the stream does not declare": (
        _columns(0, COMPANY_NAME="properties_nme"),
        ["entityMappings[0].columns.COMPANY_NAME", "'properties_nme'", "'PROPERTIES_NAME'"],
    ),
    "column the entity does not have": (
        _columns(0, COMPANY="properties_name"),
        ["entityMappings[0].columns.COMPANY", "'COMPANY_NAME'"],
    ),
    "the stable id is the mapping's to build": (
        _columns(0, CUSTOMER_ID="id"),
        ["entityMappings[0].columns.CUSTOMER_ID", "not allowed"],
    ),
    "a NOT NULL column left unset": (
        _columns(0, COMPANY_NAME=None),
        ["entityMappings[0]", "['COMPANY_NAME'] are NOT NULL"],
    ),
    "crossSystemId that is not the primary key": (
        _columns(0, HUBSPOT_ID="properties_domain"),
        ["entityMappings[0].columns.HUBSPOT_ID", "primary key 'id'", "'properties_domain'"],
    ),
    "matchOn without crossSystemId": (
        _with(0, matchOn="DOMAIN", crossSystemId=None),
        ["entityMappings[0]", "matchOn DOMAIN needs crossSystemId"],
    ),
    "a reference no mapping builds ids for": (
        _with(
            1,
            references={"FROM_ENTITY_ID": {"entity": "CUSTOMERS", "key": "GONG_ID", "field": "crmCompanyId"}},
        ),
        ["entityMappings[1].references.FROM_ENTITY_ID.key", "'GONG_ID'", "'HUBSPOT_ID'", "dangle"],
    ),
    "a constant that would close its quote": (
        _with(1, constants={**CALLS["constants"], "RELATIONSHIP_TYPE": "call'); DROP TABLE X; --"}),
        ["entityMappings.1.constants.RELATIONSHIP_TYPE", "should match pattern"],
    ),
    "a column set twice": (
        _with(1, constants={**CALLS["constants"], "DESCRIPTION": "call"}),
        ["entityMappings[1]", "['DESCRIPTION'] are set more than once"],
    ),
    "the same mapping twice": ([*SHIPPED, COMPANIES], ["entityMappings[2]", "mapped twice"]),
    "an unknown key": (_with(0, match="DOMAIN"), ["entityMappings.0.match", "unknown key"]),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_mapping_stops_the_program_naming_the_key(case: str) -> None:
    mappings, fragments = REFUSED[case]
    assert_config_refused("dev", {"entityMappings": mappings}, fragments)


def test_mappings_without_airbyte_are_refused() -> None:
    left_out = ("airbyte", "airbyteSecrets", "qualityGate", "qualityGateSecrets", "serviceUsers.HOOKS")
    without = dict.fromkeys(left_out, DELETE)
    assert_config_refused(
        "dev", {**without, "entityMappings": SHIPPED}, ["entityMappings[0]", "airbyte must be configured"]
    )


def test_the_docs_example_is_a_valid_mapping_of_the_dev_stack() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "semantic-layer.md").read_text()
    (example,) = [yaml.safe_load(block) for block in blocks(page, "yaml")]
    files = load_stack_files(Path(__file__).resolve().parent.parent, "dev")
    key = "sophia-data-platform:entityMappings"
    values = {**files.values, key: json.dumps(example[key])}
    specs = load_stack_config(files.project, values, files.secret_keys).entity_mapping_specs
    assert [(s.source, s.entity) for s in specs] == [("HUBSPOT", "CUSTOMERS"), ("GONG", "RELATIONSHIPS")]
