"""What every component of one stack is handed, and the small base that turns it into its children's options."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import pulumi
import pulumi_snowflake as snowflake

from components.owner import DatabaseOwner
from components.providers import SnowflakeProviders, SystemRole
from components.tagging import Tags
from models.enums import WarehousePurpose
from models.naming import Naming


@dataclass(frozen=True)
class PlatformContext:
    """The stack's naming, providers and protection, and what the platform has declared that all build on.

    The platform declares in order, so the later parts arrive later: `declared(...)` returns a copy that
    also hands them out, and asking for one before it is declared is a `LookupError`, not a None.
    """

    naming: Naming
    providers: SnowflakeProviders
    # Whether stateful objects (the database, tables holding data) are protected from deletion.
    protect: bool
    _warehouses: Mapping[WarehousePurpose, snowflake.Warehouse] | None = None
    _owner: DatabaseOwner | None = None
    _schemas: Mapping[str, snowflake.Schema] | None = None
    _tags: Tags | None = None

    def declared(self, **parts: Any) -> "PlatformContext":
        """A copy that also hands out `parts`: any of warehouses, owner, schemas, tags."""
        return replace(self, **{f"_{key}": value for key, value in parts.items()})

    def _part(self, key: str) -> Any:
        value = getattr(self, f"_{key}")
        if value is None:
            raise LookupError(f"the platform has not declared its {key} yet")
        return value

    @property
    def warehouses(self) -> Mapping[WarehousePurpose, snowflake.Warehouse]:
        """The stack's warehouses by purpose."""
        return self._part("warehouses")

    @property
    def owner(self) -> DatabaseOwner:
        """The role that creates and so owns every object inside the database, and its provider."""
        return self._part("owner")

    @property
    def schemas(self) -> Mapping[str, snowflake.Schema]:
        """Every schema of the database by name."""
        return self._part("schemas")

    @property
    def tags(self) -> Tags:
        """What setting the platform's tags needs."""
        return self._part("tags")


class PlatformComponent(pulumi.ComponentResource):
    """A component handed the platform context: type token `sophia:<module>:<Class>`, its children's options.

    A subclass renamed after its first deploy passes its old token (`token="sophia:old:Name"`) or names it
    in `renamed_from`: the alias keeps its URN and, through it, its children's.
    """

    type_token: ClassVar[str]
    renamed_from: ClassVar[str | None] = None

    def __init_subclass__(cls, token: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.type_token = token or f"sophia:{cls.__module__.rpartition('.')[2]}:{cls.__name__}"

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        opts: pulumi.ResourceOptions | None = None,
        props: Mapping[str, Any] | None = None,
    ) -> None:
        if self.renamed_from is not None:
            renamed = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=self.renamed_from)])
            opts = pulumi.ResourceOptions.merge(opts, renamed)
        super().__init__(self.type_token, name, dict(props) if props is not None else None, opts)
        self._base = name
        self.context = context

    def options(
        self,
        *depends_on: pulumi.Resource,
        acting_as: SystemRole | None = None,
        stateful: bool = False,
        **more: Any,
    ) -> pulumi.ResourceOptions:
        """A child's options: parent here, made by the owner role (or `acting_as`), after `depends_on`.

        `stateful` protects it where the stack protects stateful objects; `more` adds or overrides options
        (`provider=None` for a child with a provider of its own).
        """
        if "provider" not in more:
            more["provider"] = (
                self.context.owner.provider
                if acting_as is None
                else self.context.providers.for_role(acting_as)
            )
        if stateful:
            more["protect"] = self.context.protect
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on), **more)
