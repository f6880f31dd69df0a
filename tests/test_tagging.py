"""Tag associations: each belongs to the component that declares the objects, and each id is declared once."""

from pathlib import Path

import pytest

from components.tagging import DuplicateTagAssociationError
from offline.engine import ProgramFailed, run_program
from tests.harness import Plan
from tests.planned import planned_resources

ASSOCIATION = "snowflake:index/tagAssociation:TagAssociation"
VIEW = "snowflake:index/view:View"
TABLE = "snowflake:index/table:Table"
GOVERNANCE = "sophia:governance:Governance"

# Two components tag their own tables through one shared Tags; `SECOND_ENTITY` decides whether the
# second component's tables carry the same metadata value (and so the same association id) as the first's.
PROGRAM = """
import pulumi
import pulumi_snowflake as snowflake

from components.tagging import TaggedObject, Tags, tag_objects
from models.naming import METADATA_TAG, PII_TAG
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency


def metadata(entity):
    return SophiaMetadata(entity_type=entity, data_source="hris", update_frequency=UpdateFrequency.DAILY,
                          pii_level=PiiLevel.NONE, vector_index=False)


provider = snowflake.Provider("owner", role="OWNER")
tag = snowflake.Tag("tag", database="DB", schema="OPS", name=METADATA_TAG,
                    opts=pulumi.ResourceOptions(provider=provider))
tags = Tags(ids={METADATA_TAG: '"DB"."OPS"."TAG"', PII_TAG: '"DB"."OPS"."PII"'},
            resources={METADATA_TAG: tag, PII_TAG: tag}, provider=provider)
for component, entity in (("first", "employee"), ("second", SECOND_ENTITY)):
    parent = pulumi.ComponentResource("test:tagging:Owner", component)
    objects = [TaggedObject(f'"DB"."S"."{component.upper()}_{n}"', metadata(entity), ()) for n in (1, 2)]
    tag_objects(parent, component, tags, "TABLE", objects)
"""


def _run(tmp_path: Path, second_entity: str) -> list:
    program = tmp_path / "program.py"
    program.write_text(f"SECOND_ENTITY = {second_entity!r}\n{PROGRAM}")
    return planned_resources(run_program(program, "tagging", "test", {}, set()))


def test_objects_sharing_a_value_share_one_association_under_their_own_component(tmp_path: Path) -> None:
    resources = _run(tmp_path, "customer")
    components = {r.urn: r.name for r in resources if r.type == "test:tagging:Owner"}
    associations = {components[r.parent]: r.inputs for r in resources if r.type == ASSOCIATION}
    assert associations["first"]["object_identifiers"] == ['"DB"."S"."FIRST_1"', '"DB"."S"."FIRST_2"']
    assert associations["second"]["object_identifiers"] == ['"DB"."S"."SECOND_1"', '"DB"."S"."SECOND_2"']


def test_a_second_component_declaring_the_same_association_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProgramFailed) as failure:
        _run(tmp_path, "employee")
    assert isinstance(failure.value.cause, DuplicateTagAssociationError)
    message = str(failure.value.cause)
    assert message.startswith("second-table-metadata-employee-hris-")
    assert "and first-table-metadata-employee-hris-" in message
    assert '"DB"."OPS"."TAG"|{"data_source":"hris","entity_type":"employee"' in message


def test_every_tag_association_belongs_to_the_component_that_declares_its_objects(any_plan: Plan) -> None:
    """Governance tags only the schemas and warehouses it is handed, which exist before the tags can."""
    declarer = {
        f'"{t.inputs["database"]}"."{t.inputs["schema"]}"."{t.inputs["name"]}"': t.parent
        for t in [*any_plan.of_type(TABLE), *any_plan.of_type(VIEW)]
    }
    for association in any_plan.of_type(ASSOCIATION):
        object_type, identifiers = association.inputs["object_type"], association.inputs["object_identifiers"]
        if object_type in ("SCHEMA", "WAREHOUSE"):
            assert any_plan.by_urn(association.parent).type == GOVERNANCE, association.name
            continue
        # A column belongs to its table: its identifier is the table's with one more part.
        tables = {i.rsplit(".", 1)[0] if object_type == "COLUMN" else i for i in identifiers}
        assert {declarer[table] for table in tables} == {association.parent}, association.name
