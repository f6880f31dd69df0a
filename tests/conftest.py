"""Shared fixtures: the shipped stacks, planned once per session on the mock engine."""

from collections.abc import Callable

import pytest

from tests.harness import Plan, plan_stack


@pytest.fixture(scope="session")
def dev_plan() -> Plan:
    """The shipped dev stack, planned once per session."""
    return plan_stack("dev")


@pytest.fixture(scope="session")
def prod_plan() -> Plan:
    """The shipped prod stack, planned once per session."""
    return plan_stack("prod")


@pytest.fixture(params=["dev", "prod"])
def any_plan(request: pytest.FixtureRequest, dev_plan: Plan, prod_plan: Plan) -> Plan:
    """Each shipped stack in turn, for properties that must hold on both."""
    return {"dev": dev_plan, "prod": prod_plan}[request.param]


@pytest.fixture
def planner() -> Callable[..., Plan]:
    """`planner(stack, overrides)` plans a stack with config changed by dotted path."""
    return plan_stack
