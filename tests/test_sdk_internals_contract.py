"""The private SDK API stack/sdk_internals.py leans on still behaves as it relies on: fails on an SDK release that moves it."""

import contextlib
import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pytest
from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
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


def _requests(count: int) -> tuple[list[Any], Any]:
    """`count` resources sharing one provider, as single requests and as one stack request."""
    provider_properties = struct_pb2.Struct()
    provider_properties.update({"role": "ADMIN"})
    provider = proto.AnalyzerProviderResource(
        type="pulumi:providers:t", properties=provider_properties, urn="p"
    )
    fields = []
    for index in range(count):
        properties = struct_pb2.Struct()
        properties.update({"index": index})
        options = proto.AnalyzerResourceOptions(protect=True, ignoreChanges=["a"], parent="root")
        fields.append(
            dict(type="t:index:T", properties=properties, urn=f"u{index}", name=f"n{index}", options=options)
        )
    stack = proto.AnalyzeStackRequest(
        resources=[proto.AnalyzerResource(**f, provider=provider) for f in fields]
    )
    return [proto.AnalyzeRequest(**f, provider=provider) for f in fields], stack


def _noting(seen: list[tuple[str, Any]], name: str, *, meddle: bool = False) -> list[Any]:
    """A resource and a stack rule noting what they were given; `meddle`: each also tries to change it."""

    def change(opts: Any, provider: Any) -> None:
        for target, attribute in (
            (opts, "protect"),
            (opts.custom_timeouts, "create_seconds"),
            (provider, "urn"),
        ):
            with pytest.raises(AttributeError, match="read-only"):
                setattr(target, attribute, None)

    def on_resource(args: ResourceValidationArgs, report: ReportViolation) -> None:
        seen.append((name, (args.urn, args.opts.protect, list(args.opts.ignore_changes), args.provider.urn,
                            dict(args.provider.props), args.props["index"])))  # fmt: skip
        if meddle:
            change(args.opts, args.provider)

    def on_stack(args: StackValidationArgs, report: ReportViolation) -> None:
        for r in args.resources:
            seen.append((name, (r.urn, r.opts.protect, r.opts.parent, r.provider.urn, r.props["index"])))
            if meddle:
                change(r.opts, r.provider)

    return [
        ResourceValidationPolicy(name=f"{name}-r", description="d", validate=on_resource),
        StackValidationPolicy(name=f"{name}-s", description="d", validate=on_stack),
    ]


def _analyse(rules: list[Any], shared: bool, count: int) -> None:
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    requests, stack = _requests(count)
    with sdk_internals.shared_deserialisation() if shared else contextlib.nullcontext():
        for request in requests:
            analyzer.Analyze(request, None)
        analyzer.AnalyzeStack(stack, None)


def test_shared_analysis_builds_options_and_provider_once_per_resource_not_per_rule(monkeypatch) -> None:
    from pulumi_policy import policy

    builds: dict[str, int] = {"options": 0, "provider": 0, "decoded": 0}
    for method, what in (("_get_resource_options", "options"), ("_get_provider_resource", "provider")):
        real = getattr(policy._PolicyAnalyzerServicer, method)
        monkeypatch.setattr(policy._PolicyAnalyzerServicer, method, _counting(builds, what, real))
    real_format = policy.json_format
    monkeypatch.setattr(policy, "json_format", _Counted(builds, real_format))
    plain: list[tuple[str, Any]] = []
    _analyse([*_noting(plain, "a"), *_noting(plain, "b"), *_noting(plain, "c")], shared=False, count=5)
    assert builds == {"options": 30, "provider": 30, "decoded": 60}  # 5 resources x 3 rules x (single, stack)
    builds.update(options=0, provider=0, decoded=0)
    shared: list[tuple[str, Any]] = []
    _analyse([*_noting(shared, "a"), *_noting(shared, "b"), *_noting(shared, "c")], shared=True, count=5)
    # Once per request message: the single request and the stack's entry are two messages of one resource;
    # properties once per distinct bytes (5 resources, 1 provider).
    assert builds == {"options": 10, "provider": 10, "decoded": 6}
    assert shared == plain and len(plain) == 30


def test_a_rule_cannot_change_the_options_or_provider_the_next_rule_sees() -> None:
    seen: list[tuple[str, Any]] = []
    _analyse([*_noting(seen, "first", meddle=True), *_noting(seen, "second")], shared=True, count=2)
    expected = [(name, (f"u{i}", True, ["a"], "p", {"role": "ADMIN"}, i)) for i in range(2)
                for name in ("first", "second")]  # fmt: skip
    assert [s for s in seen if len(s[1]) == 6] == expected
    assert {s[1] for s in seen if len(s[1]) == 5} == {(f"u{i}", True, "root", "p", i) for i in range(2)}


def _counting(builds: dict[str, int], what: str, real: Any) -> Any:
    def counted(analyzer: Any, request: Any) -> Any:
        builds[what] += 1
        return real(analyzer, request)

    return counted


class _Counted:
    """json_format counting the messages it decodes to dicts."""

    def __init__(self, builds: dict[str, int], module: Any) -> None:
        self._builds, self._module = builds, module

    def MessageToDict(self, *args: Any, **kwargs: Any) -> Any:
        self._builds["decoded"] += 1
        return self._module.MessageToDict(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)
