"""The platform context and component base: tokens from the module, parts handed out once declared, options."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_snowflake as snowflake
import pytest

from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from models.naming import Naming
from offline.engine import EchoMocks
from stack.sdk_internals import reset_root_stack


class Probe(PlatformComponent):
    """A component with the derived token."""


class Renamed(PlatformComponent, token="sophia:old_module:OldName"):
    """A component that keeps the token it was first deployed with."""


@dataclass
class StandInProviders:
    """One distinct provider per system role, as SnowflakeProviders hands them out."""

    by_role: dict[SystemRole, snowflake.Provider]

    def for_role(self, role: SystemRole) -> snowflake.Provider:
        return self.by_role[role]


@dataclass
class StandInOwner:
    """What the base reads of the owner: the provider acting as the owner role."""

    provider: snowflake.Provider


@pytest.fixture
def mocked() -> Iterator[None]:
    reset_root_stack()
    pulumi.runtime.set_mocks(EchoMocks(), preview=False)
    try:
        yield
    finally:
        reset_root_stack()


def _context(protect: bool, **parts: Any) -> PlatformContext:
    providers = StandInProviders({role: snowflake.Provider(role.value.lower()) for role in SystemRole})
    context = PlatformContext(Naming(prefix="P", database="DB"), providers, protect)  # type: ignore[arg-type]
    return context.declared(**parts) if parts else context


def test_the_token_is_the_module_and_class_unless_a_subclass_keeps_an_old_one() -> None:
    assert Probe.type_token == "sophia:test_platform_context:Probe"
    assert Renamed.type_token == "sophia:old_module:OldName"


def test_a_part_is_handed_out_only_once_declared(mocked: None) -> None:
    context = _context(protect=True)
    for part in ("warehouses", "owner", "schemas", "tags"):
        with pytest.raises(LookupError, match=f"has not declared its {part} yet"):
            getattr(context, part)
    owner = StandInOwner(snowflake.Provider("owner"))
    later = context.declared(owner=owner, warehouses={})
    assert later.owner is owner and later.warehouses == {}
    assert later.naming is context.naming and later.protect is True
    with pytest.raises(LookupError):
        context.owner  # the earlier copy is unchanged  # noqa: B018
    with pytest.raises(TypeError):
        context.declared(owners=owner)  # a misspelt part is an error, not a silent extra


def test_children_are_made_by_the_owner_unless_another_role_is_named(mocked: None) -> None:
    owner = StandInOwner(snowflake.Provider("owner"))
    context = _context(protect=False, owner=owner)
    probe = Probe("probe", context)
    waited = snowflake.Provider("waited")
    options = probe.options(waited)
    assert options.parent is probe and options.provider is owner.provider
    assert options.depends_on == [waited] and options.protect is None
    as_admin = probe.options(acting_as=SystemRole.SECURITYADMIN)
    assert as_admin.provider is context.providers.for_role(SystemRole.SECURITYADMIN)
    assert as_admin.depends_on == []
    assert probe.options(provider=None).provider is None


@pytest.mark.parametrize("protect", [True, False])
def test_stateful_children_follow_the_stacks_protection(mocked: None, protect: bool) -> None:
    context = _context(protect=protect, owner=StandInOwner(snowflake.Provider("owner")))
    probe = Probe("probe", context, props={"declared": 1})
    assert probe.options(stateful=True).protect is protect
    assert probe.options(stateful=True, acting_as=SystemRole.SYSADMIN).protect is protect


def test_a_child_before_the_owner_names_its_role(mocked: None) -> None:
    context = _context(protect=False)
    probe = Probe("probe", context)
    with pytest.raises(LookupError, match="owner"):
        probe.options()
    # Not any provider: the one acting as the named role, for each role a child may name.
    for role in SystemRole:
        assert probe.options(acting_as=role).provider is context.providers.for_role(role), role
