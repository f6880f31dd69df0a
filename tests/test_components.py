"""Components are real ComponentResources: sophia:<module>:<Name> tokens, every resource parented to one."""

import re

from tests.harness import Plan

COMPONENT_TOKEN = re.compile(r"^sophia:[a-z_]+:[A-Z][A-Za-z]+$")


def test_component_tokens_and_parents(any_plan: Plan) -> None:
    components = [r for r in any_plan.resources if not r.custom and r.type != "pulumi:pulumi:Stack"]
    assert {c.type for c in components} >= {
        "sophia:platform:SophiaDataPlatform",
        "sophia:providers:SnowflakeProviders",
        "sophia:warehouses:Warehouses",
        "sophia:database:DataPlatformDatabase",
    }
    for component in components:
        assert COMPONENT_TOKEN.match(component.type), component.type
    component_urns = {c.urn for c in components}
    for resource in any_plan.resources:
        if resource.custom:
            assert resource.parent in component_urns, f"{resource.urn} is not parented to a component"


def test_child_names_are_prefixed_by_their_component(any_plan: Plan) -> None:
    for resource in any_plan.resources:
        if resource.parent and resource.type != "sophia:platform:SophiaDataPlatform":
            parent = any_plan.by_urn(resource.parent)
            if parent.type != "pulumi:pulumi:Stack":
                assert resource.name.startswith(f"{parent.name}-"), resource.name


def test_platform_exports_its_outputs(dev_plan: Plan) -> None:
    assert dev_plan.stack_outputs["database"] == "SOPHIA_AI_DEV"
    assert dev_plan.stack_outputs["warehouses"]["ETL"] == "SOPHIA_AI_DEV_ETL_WH"
