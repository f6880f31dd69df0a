"""Runs the Pulumi program on Pulumi's own mock engine and records every registration with its options."""

import hashlib
import runpy
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import rpc

from offline.urns import Urn, parse_urn
from stack.sdk_internals import (
    RESOURCE_SIG,
    MockMonitor,
    reset_root_stack,
    run_to_completion,
    sync_await,
    without_stack_traces,
)

STACK_TYPE = "pulumi:pulumi:Stack"
DYNAMIC_TYPE_PREFIX = "pulumi-python:dynamic"
# Where reading a request with unknowns kept can differ from the mock engine's reading (pulumi/runtime/rpc.py,
# deserialize_property and deserialize_resource): an unknown value, or a resource reference (its signature,
# sdk/go/common/resource/sig), whose empty id reads as unknown. The mock monitor accepts resource references, so
# a resource passed as another's input sends one; a request holding either is read again, unknowns kept.
_READ_AGAIN_MARKERS = (rpc.UNKNOWN.encode(), RESOURCE_SIG.encode())


@dataclass
class Registration:
    """One resource as the engine saw it: raw camelCase inputs (secrets still wrapped) and its options."""

    urn: str
    type: str
    name: str
    custom: bool
    id: str
    inputs: dict[str, Any]
    parent: str
    protect: bool
    provider: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    retain_on_delete: bool
    deleted_with: str
    aliases: list[str]
    # The earlier URNs the engine would match it to: its own aliases and its parent's carried down.
    alias_urns: list[str]
    ignore_changes: list[str]
    additional_secret_outputs: list[str]
    delete_before_replace: bool = False
    import_id: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProgramRun:
    """Everything one run of the program registered, in registration order, and the stack outputs."""

    project: str
    stack: str
    registrations: list[Registration]
    stack_outputs: dict[str, Any]

    def by_urn(self) -> dict[str, Registration]:
        """Registrations keyed by URN, for following parent and provider references."""
        return {registration.urn: registration for registration in self.registrations}


def stand_in_uuid(name: str) -> str:
    """A stable UUID for a resource name, its first 80 bits zero so that nobody takes it for a real one."""
    return str(uuid.UUID(int=int(hashlib.sha256(name.encode()).hexdigest()[:12], 16)))


class EchoMocks(pulumi.runtime.Mocks):
    """Every resource's outputs are its inputs, with a stable id: what a preview knows, and no more."""

    def __init__(self) -> None:
        # The inputs of the registration this thread is making (the SDK calls the monitor from a thread pool).
        self._current = threading.local()

    def take_inputs(self) -> dict[str, Any] | None:
        """The inputs the mock engine just read for this thread's registration, once; None if it read none."""
        inputs, self._current.inputs = getattr(self._current, "inputs", None), None
        return inputs

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        self._current.inputs = args.inputs
        if args.typ.startswith(DYNAMIC_TYPE_PREFIX):
            # A dynamic resource's id is what its provider's create returns; ours, Airbyte's, returns the
            # object's UUID (components/airbyte/provider.py), and the stack's outputs key on it.
            return stand_in_uuid(args.name), args.inputs
        return f"{args.name}-id", args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list]:
        return {}, []


class RecordingMonitor(MockMonitor):
    """A MockMonitor that keeps each registration request, with real Pulumi URNs."""

    mocks: EchoMocks

    def __init__(self) -> None:
        super().__init__(EchoMocks())
        self.registrations: list[Registration] = []
        self._alias_urns: dict[str, list[str]] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # Pulumi leaves the root stack out of a child's type chain; MockMonitor does not.
        qualified = type_
        if parent and f"::{STACK_TYPE}::" not in parent:
            qualified = parent.split("::")[2] + "$" + type_
        return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{qualified}::{name}"

    def RegisterResource(self, request: Any) -> Any:
        self.mocks.take_inputs()  # nothing left over from this thread's last registration
        response = super().RegisterResource(request)
        self.registrations.append(
            Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=request.custom,
                id=response.id,
                inputs=self._inputs(request),
                parent=request.parent,
                protect=request.protect,
                provider=request.provider,
                # The SDK gathers dependencies in a set, so their order changes from run to run; sorted, two
                # plans of the same code write the same export.
                dependencies=sorted(request.dependencies),
                property_dependencies={
                    key: sorted(value.urns) for key, value in sorted(request.propertyDependencies.items())
                },
                retain_on_delete=request.retainOnDelete,
                deleted_with=request.deletedWith,
                aliases=[alias.urn or alias.spec.name for alias in request.aliases],
                alias_urns=self._resolve_aliases(request, response.urn),
                ignore_changes=list(request.ignoreChanges),
                additional_secret_outputs=list(request.additionalSecretOutputs),
                delete_before_replace=request.deleteBeforeReplace,
                import_id=request.importId,
            )
        )
        return response

    def _inputs(self, request: Any) -> dict[str, Any]:
        """The request's inputs as the mock engine read them (read once, not twice), unknowns kept."""
        inputs = self.mocks.take_inputs()
        wire = request.object.SerializeToString() if inputs is not None else b""
        if inputs is None or any(marker in wire for marker in _READ_AGAIN_MARKERS):
            return rpc.deserialize_properties(request.object, keep_unknowns=True)
        return inputs

    def _resolve_aliases(self, request: Any, urn: str) -> list[str]:
        """Collapsed as Pulumi's engine does (pkg/resource/deploy/step_generator.go, generateAliases): each alias
        spec defaults to the resource's own name, type and parent; then each alias of the parent is carried
        down, with the child's name prefix renamed as the parent's (inheritedChildAlias)."""
        own = [alias.urn or self._spec_urn(request, alias.spec) for alias in request.aliases]
        found: list[str] = list(own)
        for parent_alias in self._alias_urns.get(request.parent, []):
            parent_name, old_parent_name = _urn(request.parent).name, _urn(parent_alias).name
            for alias in map(_urn, [urn, *own]):
                name = alias.name
                if name.startswith(parent_name):
                    name = old_parent_name + name[len(parent_name) :]
                found.append(self.make_urn(parent_alias, alias.type, name))
        resolved = list(dict.fromkeys(found))
        self._alias_urns[urn] = resolved
        return resolved

    def _spec_urn(self, request: Any, spec: Any) -> str:
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        return self.make_urn(parent, spec.type or request.type, spec.name or request.name)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        for registration in self.registrations:
            if registration.urn == request.urn:
                registration.outputs = outputs
        return super().RegisterResourceOutputs(request)


def _urn(urn: str) -> Urn:
    """The parts of a URN the engine itself made."""
    parsed = parse_urn(urn)
    if parsed is None:
        raise ValueError(f"not a Pulumi URN: {urn!r}")
    return parsed


class ProgramFailed(Exception):
    """The program raised; carries the cause and what was registered before it did."""

    def __init__(self, cause: BaseException, registrations: list[Registration]) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.registrations = registrations


def run_program(
    program: Path, project: str, stack: str, values: dict[str, str], secret_keys: set[str]
) -> ProgramRun:
    """Runs `program` as `pulumi up` would, but against the mock engine that echoes inputs as outputs."""
    reset_root_stack()
    monitor = RecordingMonitor()
    pulumi.runtime.set_mocks(monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor)
    pulumi.runtime.set_all_config(values, sorted(secret_keys))
    try:
        with without_stack_traces():
            run_to_completion(lambda: runpy.run_path(str(program), run_name="__main__"))
    except Exception as error:
        raise ProgramFailed(error, monitor.registrations) from error
    root = pulumi.runtime.get_root_resource()
    stack_outputs = sync_await(pulumi.Output.from_input(root.outputs).future()) if root else {}
    for registration in monitor.registrations:
        if registration.custom:
            registration.outputs = registration.inputs
    return ProgramRun(project, stack, monitor.registrations, stack_outputs or {})
