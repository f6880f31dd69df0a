"""Pulumi URNs, `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`, taken apart in one place."""

from dataclasses import dataclass

PREFIX = "urn:pulumi:"


@dataclass(frozen=True)
class Urn:
    """A resource URN's parts; the name is last and may itself contain `::`."""

    stack: str
    project: str
    qualified_type: str
    name: str

    @property
    def type(self) -> str:
        """The resource's own type token, without the types of its parents."""
        return self.type_chain[-1]

    @property
    def type_chain(self) -> list[str]:
        """Parent types, outermost first, then the resource's own type (the root stack is left out)."""
        return self.qualified_type.split("$")

    def with_name(self, name: str) -> str:
        """The URN of the same resource under another name, as `Alias(name=...)` means it."""
        return f"{PREFIX}{self.stack}::{self.project}::{self.qualified_type}::{name}"


def parse_urn(urn: str) -> Urn | None:
    """The parts of a Pulumi URN, or None for anything else (such as the empty URN of a stack-wide finding)."""
    # Format: https://www.pulumi.com/docs/iac/concepts/resources/names/#urns
    if not urn.startswith(PREFIX):
        return None
    parts = urn.removeprefix(PREFIX).split("::", 3)
    if len(parts) != 4:
        return None
    return Urn(*parts)


def alias_advice(old_urn: str, new_urn: str) -> str:
    """The resource option that makes Pulumi take the object at `old_urn` for the one declared at `new_urn`."""
    old, new = parse_urn(old_urn), parse_urn(new_urn)
    if (
        old
        and new
        and (old.stack, old.project, old.qualified_type) == (new.stack, new.project, new.qualified_type)
    ):
        return f"add opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name={old.name!r})]) to keep it"
    # A plain string in `aliases` is a whole URN (pulumi/runtime/resource.py, collapse_alias_to_urn).
    return f"add opts=pulumi.ResourceOptions(aliases=[{old_urn!r}]) to keep it"
