"""The private SDK API stack/sdk_internals.py leans on still behaves as it relies on: fails on an SDK release that moves it."""

import base64
import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import dill
import pulumi
import pytest
from google.protobuf import struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.runtime import rpc
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

from stack import sdk_internals


class _Echo(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        return f"{args.name}-id", args.inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list]:
        return {}, []


class _Recorder(sdk_internals.MockMonitor):
    def __init__(self) -> None:
        super().__init__(_Echo())
        self.requests: list[Any] = []

    def RegisterResource(self, request: Any) -> Any:
        self.requests.append(request)
        return super().RegisterResource(request)


class _Thing(pulumi.CustomResource):
    """A concrete resource class, as an SDK's generated ones are: the frame the SDK's trace starts above."""

    def __init__(self, name: str) -> None:
        super().__init__("test:index:Thing", name, {"key": pulumi.Output.secret("v")})


def _register(count: int, *, traces: bool) -> _Recorder:
    """Registers `count` resources, one of them with a secret, on a fresh mock engine; returns its requests."""
    sdk_internals.reset_root_stack()
    recorder = _Recorder()
    pulumi.runtime.set_mocks(recorder.mocks, project="p", stack="s", preview=False, monitor=recorder)

    def program() -> None:
        for index in range(count):
            _Thing(f"thing-{index}")

    if traces:
        sdk_internals.run_to_completion(program)
    else:
        with sdk_internals.without_stack_traces():
            sdk_internals.run_to_completion(program)
    sdk_internals.reset_root_stack()
    return recorder


def test_a_program_runs_to_completion_and_every_registration_reaches_the_monitor() -> None:
    recorder = _register(3, traces=True)
    things = [r for r in recorder.requests if r.type == "test:index:Thing"]
    assert [r.name for r in things] == ["thing-0", "thing-1", "thing-2"]
    assert sdk_internals.is_secret_envelope(
        rpc.deserialize_properties(things[0].object, keep_unknowns=True)["key"]
    )


def test_without_stack_traces_the_requests_carry_none_and_the_sdk_is_restored_after() -> None:
    with_traces = _register(1, traces=True).requests[-1]
    assert len(with_traces.stackTrace.frames) > 0, "the SDK no longer sends a stack trace: drop the patch"
    assert len(_register(1, traces=False).requests[-1].stackTrace.frames) == 0
    assert len(_register(1, traces=True).requests[-1].stackTrace.frames) > 0


def test_the_program_config_is_what_set_all_config_set_and_its_secrets_are_known() -> None:
    pulumi.runtime.set_all_config({"p:plain": "1", "p:hidden": "2"}, ["p:hidden"])
    values = sdk_internals.program_config()
    assert {k: values[k] for k in ("p:plain", "p:hidden")} == {"p:plain": "1", "p:hidden": "2"}
    assert sdk_internals.config_secret_keys(values) >= {"p:hidden"}
    assert "p:plain" not in sdk_internals.config_secret_keys(values)


def _plain(value: Any) -> Any:
    """The analyzer's read-only proxies as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    return value


def _seen_by(calls: list[dict[str, Any]], name: str) -> ResourceValidationPolicy:
    """A rule that notes the properties it was given and reports resources whose `bad` is true."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        calls.append({"type": args.resource_type, "props": _plain(args.props)})
        if args.props.get("bad"):
            report("bad", None)

    return ResourceValidationPolicy(name=name, description="d", validate=validate)


@pytest.mark.parametrize("shared", [False, True])
def test_the_analyzer_gives_every_rule_the_same_properties_with_or_without_shared_decoding(
    shared: bool,
) -> None:
    calls: list[dict[str, Any]] = []
    rules = [_seen_by(calls, "first"), _seen_by(calls, "second")]
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    assert set(inspect.signature(analyzer.Analyze).parameters) == {"request", "_context"}
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    diagnostics = []
    for bad in (False, True):
        properties = struct_pb2.Struct()
        properties.update({"name": "N", "bad": bad, "nested": {"list": [1, "two"]}})
        request = proto.AnalyzeRequest(type="t:index:T", properties=properties, urn="urn:x", name="x")
        if shared:
            with sdk_internals.shared_deserialisation():
                diagnostics += list(analyzer.Analyze(request, None).diagnostics)
        else:
            diagnostics += list(analyzer.Analyze(request, None).diagnostics)
    expected = {"name": "N", "nested": {"list": [1, "two"]}}
    assert calls == [
        {"type": "t:index:T", "props": {**expected, "bad": bad}} for bad in (False, False, True, True)
    ]
    assert sorted(d.policyName for d in diagnostics) == ["first", "second"]


def test_shared_decoding_restores_the_analyzer_module_after() -> None:
    from pulumi_policy import policy

    before = (policy.json_format, policy.deserialize_properties, policy.unknown_checking_proxy)
    with sdk_internals.shared_deserialisation():
        assert policy.deserialize_properties is not before[1]
    assert (policy.json_format, policy.deserialize_properties, policy.unknown_checking_proxy) == before


def test_analyze_sets_the_analyzers_own_rule_list_and_restores_it() -> None:
    """`analyze` leans on the servicer's private `__policies`, the list its Analyze and AnalyzeStack loop over."""
    calls: list[dict[str, Any]] = []
    rules = [_seen_by(calls, "first"), _seen_by(calls, "second")]
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    assert analyzer._PolicyAnalyzerServicer__policies == rules
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    request = proto.AnalyzeRequest(type="t:index:T", properties=struct_pb2.Struct(), urn="urn:x", name="x")
    sdk_internals.analyze(analyzer, request, rules[1:])
    assert len(calls) == 1 and analyzer._PolicyAnalyzerServicer__policies == rules


def test_analyze_stack_restores_the_analyzer_module_after() -> None:
    from pulumi_policy import policy

    before = policy.StackValidationArgs
    rules = [_seen_by([], "first")]
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    sdk_internals.analyze_stack(analyzer, proto.AnalyzeStackRequest())
    assert policy.StackValidationArgs is before
    # AnalyzeStack makes each rule's arguments as StackValidationArgs(resources, config, stack_tags).
    assert list(inspect.signature(before).parameters) == ["resources", "config", "stack_tags"]


def test_a_typed_args_object_reads_as_its_inputs_and_anything_else_as_none() -> None:
    import pulumi_snowflake

    args = pulumi_snowflake.GrantPrivilegesToAccountRoleOnSchemaArgs(schema_name="DB.S")
    assert sdk_internals.input_type_inputs(args) == {"schemaName": "DB.S"}
    assert [sdk_internals.input_type_inputs(v) for v in ({"a": 1}, None, "s", [args])] == [None] * 4


def _failing(name: str) -> list[Any]:
    """A resource and a stack rule that each raise, as a rule with a bug does."""

    def fail(args: Any, report: ReportViolation) -> None:
        raise RuntimeError(f"{name} failed")

    return [
        ResourceValidationPolicy(name=f"{name}-r", description="d", validate=fail),
        StackValidationPolicy(name=f"{name}-s", description="d", validate=fail),
    ]


def test_a_rule_raising_midway_leaves_the_analyzer_and_its_module_as_they_were() -> None:
    from pulumi_policy import policy

    before = policy.StackValidationArgs
    rules = [_seen_by([], "first"), *_failing("second")]
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    request = proto.AnalyzeRequest(type="t:index:T", properties=struct_pb2.Struct(), urn="urn:x", name="x")
    with pytest.raises(RuntimeError, match="second failed"):
        sdk_internals.analyze(analyzer, request, rules[:2])
    assert analyzer._PolicyAnalyzerServicer__policies == rules
    with pytest.raises(RuntimeError, match="second failed"):
        sdk_internals.analyze_stack(analyzer, proto.AnalyzeStackRequest())
    assert policy.StackValidationArgs is before


def test_shared_decoding_left_by_an_error_restores_the_module_and_the_servicer() -> None:
    from pulumi_policy import policy

    servicer = policy._PolicyAnalyzerServicer
    names = ("json_format", "deserialize_properties", "unknown_checking_proxy")
    before = [getattr(policy, name) for name in names]
    methods = [servicer._get_resource_options, servicer._get_provider_resource]
    with pytest.raises(RuntimeError, match="mid-way"), sdk_internals.shared_deserialisation():
        assert servicer._get_resource_options is not methods[0]
        raise RuntimeError("mid-way")
    assert [getattr(policy, name) for name in names] == before
    assert [servicer._get_resource_options, servicer._get_provider_resource] == methods


class _Provider(ResourceProvider):
    """A dynamic provider with a little state, as the Airbyte one has."""

    def __init__(self) -> None:
        self.settings = {"b": 2, "a": {"y": 1, "x": 2}}


def test_serialising_providers_without_leaking_writes_the_same_and_survives_thousands() -> None:
    """pulumi's serialize_provider nests a wrapper in pickle per call: about 970 calls in, RecursionError."""
    import pickle

    from pulumi.dynamic import dynamic

    before = (pickle._Pickler._batch_setitems, pickle._Pickler.save_dict)
    sdk_internals.serialise_providers_without_leaking()
    sdk_internals.serialise_providers_without_leaking()  # a second call wraps nothing more
    written = {dynamic.serialize_provider(_Provider()) for _ in range(1_500)}
    assert len(written) == 1  # the same bytes each time, sorted as pulumi sorts them
    assert (pickle._Pickler._batch_setitems, pickle._Pickler.save_dict) == before
    assert dill.loads(base64.b64decode(written.pop())).settings == _Provider().settings


def test_the_airbyte_resources_serialise_their_providers_without_leaking() -> None:
    from pulumi.dynamic import dynamic

    import components.airbyte.resources  # noqa: F401  # as the program imports them

    assert getattr(dynamic.serialize_provider, "leaves_pickle_as_found", False)
