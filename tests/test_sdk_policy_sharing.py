"""The policy analyzer through stack/sdk_internals.py: each resource built once, every rule seeing what it would alone."""

import contextlib
from typing import Any

import pytest
from google.protobuf import struct_pb2
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
from tests.test_sdk_internals_contract import _plain


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


def _linked_stack() -> Any:
    """Three resources: a parent, a child depending on it through a property, one with a provider."""
    properties = struct_pb2.Struct()
    properties.update({"name": "N"})
    provider = proto.AnalyzerProviderResource(type="pulumi:providers:t", properties=properties, urn="p")
    entries = [
        proto.AnalyzerResource(type="t:index:P", urn="a", name="a", properties=properties),
        proto.AnalyzerResource(
            type="t:index:C",
            urn="b",
            name="b",
            properties=properties,
            parent="a",
            dependencies=["a", "gone"],
            propertyDependencies={"name": proto.AnalyzerPropertyDependencies(urns=["a", "gone"])},
        ),
        proto.AnalyzerResource(type="t:index:C", urn="c", name="c", properties=properties, provider=provider),
    ]
    return proto.AnalyzeStackRequest(resources=entries)


def _stack_noting(seen: list[Any], name: str) -> StackValidationPolicy:
    """A stack rule noting the linked resources it was given."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        for r in args.resources:
            seen.append((name, r.urn, r.resource_type, r.parent.urn if r.parent else None,
                         [d.urn for d in r.dependencies],
                         {k: [d.urn for d in v] for k, v in r.property_dependencies.items()},
                         r.provider.urn if r.provider else None, _plain(r.props), r.opts.parent))  # fmt: skip
        report("seen", "b")

    return StackValidationPolicy(name=name, description="d", validate=validate)


def _analysed(rules: list[Any], run: str, shared: bool) -> Any:
    analyzer = sdk_internals.policy_analyzer("pack", "1.0.0", rules, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(), None)
    with sdk_internals.shared_deserialisation() if shared else contextlib.nullcontext():
        if run == "upstream":
            return analyzer.AnalyzeStack(_linked_stack(), None)
        return sdk_internals.analyze_stack(analyzer, _linked_stack())


@pytest.mark.parametrize("shared", [False, True])
def test_analyze_stack_gives_every_rule_what_the_analyzer_itself_gives(shared: bool) -> None:
    results = []
    for run in ("upstream", "built once"):
        seen: list[Any] = []
        response = _analysed([_stack_noting(seen, "first"), _stack_noting(seen, "second")], run, shared)
        results.append((seen, [d.SerializeToString(deterministic=True) for d in response.diagnostics]))
    assert results[0] == results[1]
    seen = results[0][0]
    assert seen[1] == ("first", "b", "t:index:C", "a", ["a"], {"name": ["a"]}, None, {"name": "N"}, None)
    assert seen[3:] == [("second", *entry[1:]) for entry in seen[:3]]


def _meddling(attempts: list[str]) -> StackValidationPolicy:
    """A stack rule trying every change a rule could make to what it was given, noting each one refused."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        child = next(r for r in args.resources if r.urn == "b")
        changes = {
            "resources": lambda: args.resources.append(child),
            "parent": lambda: setattr(child, "parent", None),
            "dependencies": lambda: child.dependencies.append(child),
            "dependencies replaced": lambda: setattr(child, "dependencies", []),
            "property dependencies": lambda: child.property_dependencies.__setitem__("x", []),
            "property dependency": lambda: child.property_dependencies["name"].append(child),
        }
        for what, change in changes.items():
            with pytest.raises((AttributeError, TypeError)):
                change()
            attempts.append(what)

    return StackValidationPolicy(name="meddler", description="d", validate=validate)


def test_a_stack_rule_cannot_change_what_the_next_stack_rule_sees() -> None:
    attempts: list[str] = []
    seen: list[Any] = []
    _analysed([_meddling(attempts), _stack_noting(seen, "after")], "built once", shared=True)
    assert len(attempts) == 6
    untouched: list[Any] = []
    _analysed([_stack_noting(untouched, "after")], "upstream", shared=False)
    assert seen == untouched and len(seen) == 3
