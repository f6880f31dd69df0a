"""The one place that leans on the Pulumi SDKs' private API: the offline engine, config and policy analyzer need it.

pulumi offers no public call to run a program to completion on mocks and keep what it registered, nor to
read the whole config map a program was given; pulumi-policy offers no public analyzer to call in-process.
Each use borrows what the SDK's own entry points do (pulumi/runtime/mocks.py `test`, runtime/stack.py,
runtime/config.py, pulumi_policy/policy.py `_PolicyAnalyzerServicer`), and
tests/test_sdk_internals_contract.py fails when a release changes any of it. pulumi-policy is imported only
when the analyzer is asked for, so the program itself never loads it.
"""

import pickle
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import MappingProxyType
from typing import Any

from pulumi import _types
from pulumi.runtime import config as _config
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import resource as _resource
from pulumi.runtime import rpc as _rpc
from pulumi.runtime import settings as _settings
from pulumi.runtime import stack as _stack
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.sync_await import _sync_await

MockMonitor = _mocks.MockMonitor
# How a secret travels on the wire and sits in a stack export (pulumi/sdk/go/common/resource/sig).
SECRET_SIG_KEY: str = _rpc._special_sig_key
SECRET_SIG: str = _rpc._special_secret_sig
# And how a resource reference travels on the wire (the same sig package).
RESOURCE_SIG: str = _rpc._special_resource_sig


def is_secret_envelope(value: Any) -> bool:
    """Whether a serialised value is a secret's envelope."""
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG


def input_type_inputs(value: Any) -> dict[str, Any] | None:
    """A typed args object (a class made with `@pulumi.input_type`) as its inputs by Pulumi name; None otherwise.

    What a resource transformation receives as `props` when the resource was given an args class.
    """
    return _types.input_type_to_dict(value) if _types.is_input_type(type(value)) else None


def serialise_providers_without_leaking() -> None:
    """Makes pulumi's `serialize_provider` leave `pickle` as it found it; safe to call more than once.

    Each call of it (one per dynamic resource) wraps `pickle._Pickler._batch_setitems` in a sorting wrapper
    and never unwraps it (pulumi/dynamic/dynamic.py), so the wrappers nest: after about 970 dynamic
    resources in one process every serialisation raises RecursionError (the symptom of pulumi/pulumi#17803,
    closed as not reproduced). A plan of a stack with a few hundred sources, or a test process that plans
    many stacks, reaches that. Each call now puts back what it replaced; what it writes is unchanged.
    """
    from pulumi.dynamic import dynamic  # the program loads it for its Airbyte resources in any case

    if getattr(dynamic.serialize_provider, "leaves_pickle_as_found", False):
        return
    leaking = dynamic.serialize_provider

    def serialize_provider(provider: Any) -> str:
        replaced = (pickle._Pickler._batch_setitems, pickle._Pickler.save_dict)
        try:
            return leaking(provider)
        finally:
            pickle._Pickler._batch_setitems, pickle._Pickler.save_dict = replaced

    serialize_provider.leaves_pickle_as_found = True  # type: ignore[attr-defined]
    dynamic.serialize_provider = serialize_provider


def sync_await(awaitable: Awaitable[Any]) -> Any:
    """Runs an awaitable to its end on the SDK's own event loop, as `pulumi.runtime.test` does."""
    return _sync_await(awaitable)


def run_to_completion(program: Callable[[], Any]) -> None:
    """Runs `program` and waits for every registration it started, as the SDK's program runner does."""
    sync_await(_stack.run_pulumi_func(program))


def reset_root_stack() -> None:
    """Forgets the previous run's root stack, so the next `set_mocks` makes a fresh one."""
    _settings.ROOT.set(None)


def program_config() -> dict[str, Any]:
    """Every config value the program was given: the environment's, then what `set_all_config` set."""
    return {**_config.get_config_env(), **_config.CONFIG.get()}


def config_secret_keys(values: dict[str, Any]) -> set[str]:
    """Which of `values` are secrets: named so by the environment or by `set_all_config`."""
    return set(_config.get_config_secret_keys_env()) | {
        key for key in values if _config.is_config_secret(key)
    }


_EMPTY_TRACE = source_pb2.StackTrace()


@contextmanager
def without_stack_traces() -> Iterator[None]:
    """Registers without the per-resource Python stack trace the SDK sends; the offline engine keeps none."""
    original = _resource._get_stack_trace
    _resource._get_stack_trace = lambda: _EMPTY_TRACE
    try:
        yield
    finally:
        _resource._get_stack_trace = original


def policy_analyzer(pack_name: str, version: str, policies: list[Any], enforcement_level: Any) -> Any:
    """pulumi-policy's analyzer servicer, the object `pulumi preview --policy-pack` talks to over gRPC."""
    from pulumi_policy.policy import _PolicyAnalyzerServicer  # only the check needs it

    return _PolicyAnalyzerServicer(pack_name, version, policies, enforcement_level)


def analyze(analyzer: Any, request: Any, policies: list[Any]) -> Any:
    """The analyzer's Analyze on `request`, its loop over `policies` (some of its own, in its order) only."""
    every = analyzer._PolicyAnalyzerServicer__policies
    analyzer._PolicyAnalyzerServicer__policies = policies
    try:
        return analyzer.Analyze(request, None)
    finally:
        analyzer._PolicyAnalyzerServicer__policies = every


def analyze_stack(analyzer: Any, request: Any, shared: Callable[[Iterator[Any]], Any] = tuple) -> Any:
    """The analyzer's AnalyzeStack on `request`, the stack's resources built and linked once for every rule.

    pulumi-policy builds every resource again for each stack rule, each rule its own PolicyResource with its
    own parent and dependency lists (about 10 us a resource a rule). Here they are built once as upstream
    builds them, read-only, held in `shared` (a tuple, or a subclass the caller names), and each rule's
    StackValidationArgs is upstream's, made with them; the loop over rules, their levels, reports and errors
    stay upstream's. Where this differs: a rule that tries to change what it was given fails (and with it
    the check) instead of changing a copy of its own, and the resources are built even when every stack rule
    is disabled.
    """
    from pulumi_policy import policy

    resources = shared(_stack_resources(analyzer, request.resources))
    original = policy.StackValidationArgs
    policy.StackValidationArgs = lambda _, *config_and_tags: original(resources, *config_and_tags)
    try:
        return analyzer.AnalyzeStack(_NO_RESOURCES, None)
    finally:
        policy.StackValidationArgs = original


def _stack_resources(analyzer: Any, messages: Any) -> Iterator[Any]:
    """Each AnalyzerResource as upstream's AnalyzeStack makes it a PolicyResource, linked, then read-only."""
    from pulumi_policy import policy

    built = [
        policy.PolicyResource(
            r.type,
            policy.unknown_checking_proxy(
                policy.deserialize_properties(policy.json_format.MessageToDict(r.properties))
            ),
            r.urn,
            r.name,
            analyzer._get_resource_options(r),
            analyzer._get_provider_resource(r),
            None,
            [],
            {},
        )
        for r in messages
    ]
    by_urn = {resource.urn: resource for resource in built}  # as upstream: the last of a duplicated URN
    for message, resource in zip(messages, built, strict=True):
        resource.parent = by_urn.get(message.parent) if message.parent else None
        resource.dependencies = tuple(by_urn[urn] for urn in message.dependencies if urn in by_urn)
        resource.property_dependencies = MappingProxyType(
            {
                key: tuple(by_urn[urn] for urn in value.urns if urn in by_urn)
                for key, value in message.propertyDependencies.items()
            }
        )
    return (_read_only(resource) for resource in built)


class _NoResources:
    """An AnalyzeStackRequest with no resources: the rules are given theirs by `analyze_stack`."""

    resources: tuple[Any, ...] = ()


_NO_RESOURCES = _NoResources()


@contextmanager
def shared_deserialisation() -> Iterator[None]:
    """The analyzer builds a resource's properties, options and provider once per rule; here, once per resource.

    Its rules see properties through read-only proxies (pulumi_policy/proxy.py), so one decoded copy and one
    proxy serve every rule. Options and provider, plain objects in pulumi-policy, are made read-only here so
    that one of each serves every rule too: a rule that tries to change them fails instead of changing what
    the next rule sees. Decoding is keyed by the message object, then by its bytes: equal bytes, equal values.
    Every key is an object this block keeps alive, so an id is never reused for another.
    """
    from pulumi_policy import policy

    servicer = policy._PolicyAnalyzerServicer
    originals = (policy.json_format, policy.deserialize_properties, policy.unknown_checking_proxy)
    methods = (servicer._get_resource_options, servicer._get_provider_resource)
    original_format, original_decode, original_proxy = originals
    by_bytes: dict[bytes, _Decoded] = {}
    by_message: dict[int, tuple[Any, _Decoded]] = {}
    proxies: dict[int, tuple[Any, Any]] = {}
    built: dict[int, tuple[Any, Any, Any]] = {}  # id(request): request, options, provider

    def message_to_dict(message: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return original_format.MessageToDict(message, *args, **kwargs)
        if id(message) not in by_message:
            key = message.SerializeToString(deterministic=True)
            if key not in by_bytes:
                by_bytes[key] = _Decoded(original_format.MessageToDict(message))
            by_message[id(message)] = (message, by_bytes[key])
        return by_message[id(message)][1]

    def deserialize(value: Any, *args: Any) -> Any:
        if isinstance(value, _Decoded) and not args:
            if value.result is None:
                value.result = original_decode(dict(value))
            return value.result
        return original_decode(value, *args)

    def proxy(value: Any) -> Any:
        if id(value) not in proxies:
            proxies[id(value)] = (value, original_proxy(value))
        return proxies[id(value)][1]

    def parts(analyzer: Any, request: Any) -> tuple[Any, Any, Any]:
        if id(request) not in built:
            options = _read_only(methods[0](analyzer, request))
            options.__dict__["custom_timeouts"] = _read_only(options.custom_timeouts)
            built[id(request)] = (request, options, _read_only(methods[1](analyzer, request)))
        return built[id(request)]

    policy.json_format = _JsonFormat(message_to_dict, original_format)
    policy.deserialize_properties, policy.unknown_checking_proxy = deserialize, proxy
    servicer._get_resource_options = lambda analyzer, request: parts(analyzer, request)[1]
    servicer._get_provider_resource = lambda analyzer, request: parts(analyzer, request)[2]
    try:
        yield
    finally:
        policy.json_format, policy.deserialize_properties, policy.unknown_checking_proxy = originals
        servicer._get_resource_options, servicer._get_provider_resource = methods


def _read_only(value: Any) -> Any:
    """`value` (an options, timeouts or provider object, or None) as an instance of its read-only subclass.

    (Options' lists are the request's own repeated fields, which pulumi-policy itself hands every rule.)
    """
    if value is not None:
        value.__class__ = _read_only_class(type(value))
    return value


@cache
def _read_only_class(cls: type) -> type:
    """`cls` with every attribute write refused: one instance is shared by every rule."""

    def refuse(self: Any, name: str, *value: Any) -> None:
        raise AttributeError(f"{cls.__name__}.{name} is shared by every rule of the pack: read-only")

    return type(cls.__name__, (cls,), {"__setattr__": refuse, "__delattr__": refuse, "__module__": __name__})


class _Decoded(dict):
    """A message decoded to a dict, carrying its deserialised form once made."""

    result: Any = None


class _JsonFormat:
    """json_format with MessageToDict replaced; every other name is the module's own."""

    def __init__(self, message_to_dict: Callable[..., Any], module: Any) -> None:
        self.MessageToDict = message_to_dict
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)
