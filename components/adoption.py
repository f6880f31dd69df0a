"""Adopts what the inventory holds: Pulumi's `import` option on each declared object the account already has."""

from collections.abc import Mapping
from typing import Any

import pulumi
from pydantic.alias_generators import to_camel

from models.adoption import found, locate
from models.import_ids import TYPE_PREFIX, import_id, quoted
from models.inventory import Inventory
from stack.sdk_internals import input_type_inputs

# An input computed from something other than a declared name (a secret, an apply): not known yet. Kept
# as a marker so that only an import id that needs it is given up, never guessed.
_UNKNOWN = "\x00unknown"


class Adopter:
    """A stack transformation: the one place the `import` option is set, for every Snowflake resource.

    An input that is another resource's output (`database=db.name`) is resolved to what that resource was
    given, so the import id is known when the resource is declared, as Pulumi requires (`import_` is a str).
    """

    def __init__(self, inventory: Inventory) -> None:
        self._inventory = inventory
        self._declared: list[tuple[pulumi.Resource, dict[str, Any]]] = []
        self._known: dict[int, tuple[pulumi.Output, Any]] = {}

    def __call__(self, args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        if not args.type_.startswith(TYPE_PREFIX):
            return None
        inputs = self._plain(args.props or {})
        self._declared.append((args.resource, inputs))
        located = locate(args.type_, inputs)
        if located is None or not any(found(self._inventory, located)):
            return None
        the_id = import_id(args.type_, inputs)
        if the_id is None or _UNKNOWN in the_id:
            return None  # the takeover report lists it as blocked: it exists and cannot be imported
        adopted = pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(import_=the_id))
        return pulumi.ResourceTransformationResult(args.props, adopted)

    def _plain(self, value: Any) -> Any:
        """The value with outputs of declared resources replaced by what those resources were given."""
        if isinstance(value, pulumi.Output):
            return self._resolve(value)
        if (typed := input_type_inputs(value)) is not None:
            return self._plain(typed)
        if isinstance(value, Mapping):
            # Inputs arrive under their Python names; the import ids and the state use Pulumi's camelCase.
            return {to_camel(key): self._plain(item) for key, item in value.items() if item is not None}
        if isinstance(value, list | tuple):
            return [self._plain(item) for item in value]
        return value

    def _resolve(self, output: pulumi.Output) -> Any:
        if id(output) not in self._known:
            self._index()
        known = self._known.get(id(output))
        return known[1] if known is not None and known[0] is output else _UNKNOWN

    def _index(self) -> None:
        """Records the outputs of every resource declared so far (they exist once its constructor returned)."""
        for resource, inputs in self._declared:
            for attribute, output in vars(resource).items():
                if isinstance(output, pulumi.Output) and id(output) not in self._known:
                    value = _echoed(attribute, inputs)
                    if value is not None and value != _UNKNOWN:
                        self._known[id(output)] = (output, value)


def _echoed(attribute: str, inputs: dict[str, Any]) -> Any:
    """What a Snowflake resource's output holds, for the outputs that echo its inputs."""
    if attribute == "fully_qualified_name":
        parts = [inputs[key] for key in ("database", "schema", "name") if isinstance(inputs.get(key), str)]
        return quoted(*parts) if "name" in inputs else None
    return inputs.get(to_camel(attribute))


def adopt_from(inventory: Inventory | None) -> None:
    """Registers the adoption for every resource the program declares after this call; nothing without one."""
    if inventory is not None:
        pulumi.runtime.register_stack_transformation(Adopter(inventory))
