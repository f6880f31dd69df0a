"""Runs the policy pack on any stack export through pulumi-policy's own analyzer, as `pulumi preview` would."""

import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from offline.analyzer_requests import analyzer_fields
from offline.export_secrets import RULE as SECRETS_RULE
from offline.export_secrets import plaintext_credentials
from offline.policy_defaults import merge, stack_policy_config
from offline.stack_files import StackFileError
from offline.urns import parse_urn
from offline.yaml_files import load_yaml
from policies.sophia_policies import registry
from policies.sophia_policies.once_per_stack import SharedResources
from policies.sophia_policies.registry import ALL_RULES, PACK_NAME
from policies.sophia_policies.rule import ResourceRule
from stack.loader import ConfigError
from stack.sdk_internals import (
    analyze,
    analyze_stack,
    policy_analyzer,
    shared_deserialisation,
)

RULES_BY_NAME = {rule.name: rule for rule in ALL_RULES}
PACK_VERSION = str(
    load_yaml((Path(registry.__file__).parents[1] / "PulumiPolicy.yaml").read_text())["version"]
)
_LEVELS = {
    EnforcementLevel.ADVISORY: proto.ADVISORY,
    EnforcementLevel.MANDATORY: proto.MANDATORY,
    EnforcementLevel.DISABLED: proto.DISABLED,
    EnforcementLevel.REMEDIATE: proto.REMEDIATE,
}


POLICY_CONFIG_DIR = Path("policies") / "config"


class ExportError(Exception):
    """A stack export that cannot be read: not JSON, truncated, or not a version 3 deployment."""


@dataclass(frozen=True)
class Violation:
    """One rule broken by one resource (or by the stack as a whole)."""

    rule: str
    enforcement: str
    severity: str
    urn: str
    message: str
    remediation: str
    framework: str

    @property
    def mandatory(self) -> bool:
        """Mandatory violations fail the plan; advisory ones are only shown."""
        return self.enforcement == "mandatory"

    def to_json(self) -> dict[str, Any]:
        """The violation as a JSON-ready dict."""
        return {**asdict(self), "mandatory": self.mandatory}


def load_export(path: Path) -> list[dict[str, Any]]:
    """The resources of a `pulumi stack export` file, or an ExportError saying what is wrong with it."""
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise ExportError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise ExportError(
            f"{path} is not valid JSON (truncated?): {error.msg} at line {error.lineno}"
        ) from None
    if not isinstance(document, dict) or document.get("version") != 3:
        raise ExportError(f"{path} is not a Pulumi stack export: expected a version 3 deployment")
    resources = (document.get("deployment") or {}).get("resources")
    if not isinstance(resources, list):
        raise ExportError(f"{path} has no deployment.resources list")
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict) or not {"urn", "type"} <= resource.keys():
            raise ExportError(f"{path}: resource {index} lacks a urn or type")
    return resources


def load_policy_config(project_dir: Path, stack_or_file: str | None) -> dict[str, dict[str, Any]]:
    """Per-rule config, the file `--policy-pack-config` takes, or a stack's (derived, its committed file on top).

    With neither, every rule runs with its defaults, which are the strict ones.
    """
    if not stack_or_file:
        return {}
    path = Path(stack_or_file)
    if not path.suffix:
        return resolve_policy_config(project_dir, None, stack_or_file).rules
    try:
        config = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"policy config {path} is not valid JSON: {error.msg}") from None
    if not isinstance(config, dict) or not all(isinstance(v, dict) for v in config.values()):
        raise ValueError(f"policy config {path} must map rule names to objects")
    unknown = sorted(set(config) - set(RULES_BY_NAME))
    if unknown:
        raise ValueError(
            f"policy config {path} names unknown rules {unknown}; rules: {sorted(RULES_BY_NAME)}"
        )
    return config


@dataclass(frozen=True)
class PolicyConfig:
    """Per-rule config and, for the report, where it came from."""

    rules: dict[str, dict[str, Any]]
    source: str


def export_stack(resources: list[dict[str, Any]]) -> str | None:
    """The stack every URN of the export names, or None when they name none or several."""
    stacks = {parsed.stack for parsed in (parse_urn(r["urn"]) for r in resources) if parsed}
    return stacks.pop() if len(stacks) == 1 else None


def resolve_policy_config(
    project_dir: Path, given: str | None, stack: str | None, stack_from: str = ""
) -> PolicyConfig:
    """The config `given` as a file, else the stack's (`given` or `stack`): derived from its stack file, with
    `policies/config/<stack>.json` on top when it has one; with neither, the rule defaults, the strict ones.

    A config asked for by name or path must exist. `stack_from` says, for the report, how the stack was known.
    """
    if given and Path(given).suffix:
        path = Path(given)
        if not path.is_file():
            raise ValueError(f"--policy-config {given}: no file {path}")
        return PolicyConfig(load_policy_config(project_dir, str(path)), _shown(path, project_dir))
    name = given or stack
    if not name:
        return PolicyConfig({}, "rule defaults (the export names no single stack)")
    origin = f"stack {name}, {stack_from}" if stack_from and not given else f"stack {name}"
    stack_file, path = project_dir / f"Pulumi.{name}.yaml", project_dir / POLICY_CONFIG_DIR / f"{name}.json"
    if not stack_file.is_file() and not path.is_file():
        missing = f"no {stack_file.name} and no {_shown(path, project_dir)}"
        if given:
            known = sorted({p.name[7:-5] for p in project_dir.glob("Pulumi.*.yaml")})
            raise ValueError(f"--policy-config {given}: {missing}; stacks here: {known}")
        return PolicyConfig({}, f"rule defaults ({missing}; {origin})")
    try:
        derived = stack_policy_config(project_dir, name) if stack_file.is_file() else {}
    except (StackFileError, ConfigError) as error:
        raise ValueError(f"policy config of stack {name}: {error}") from None
    sources = [f"derived from {stack_file.name}"] if stack_file.is_file() else []
    committed = load_policy_config(project_dir, str(path)) if path.is_file() else {}
    sources += [_shown(path, project_dir)] if path.is_file() else []
    return PolicyConfig(merge(derived, committed), f"{' + '.join(sources)} ({origin})")


def _shown(path: Path, project_dir: Path) -> str:
    """A path as the report shows it: relative to the project when it lies inside."""
    try:
        return str(path.resolve().relative_to(project_dir.resolve()))
    except ValueError:
        return str(path)


def check(resources: list[dict[str, Any]], policy_config: dict[str, dict[str, Any]]) -> list[Violation]:
    """Every violation of every rule, through the same analyzer the Pulumi CLI starts."""
    analyzer = policy_analyzer(PACK_NAME, PACK_VERSION, ALL_RULES, EnforcementLevel.MANDATORY)
    analyzer.Configure(proto.ConfigureAnalyzerRequest(policyConfig=_policy_config(policy_config)), None)
    by_urn = {resource["urn"]: resource for resource in resources}
    providers: dict[str, proto.AnalyzerProviderResource | None] = {}
    fields = [analyzer_fields(resource, by_urn, providers) for resource in resources]
    diagnostics = []
    with shared_deserialisation():
        for resource, resource_fields in zip(resources, fields, strict=True):
            request = proto.AnalyzeRequest(**resource_fields)
            response = analyze(analyzer, request, _judging(resource["type"]))
            diagnostics.extend((d, resource["urn"]) for d in response.diagnostics)
        stack_request = proto.AnalyzeStackRequest(
            resources=[
                proto.AnalyzerResource(
                    **resource_fields,
                    parent=resource.get("parent", ""),
                    dependencies=resource.get("dependencies", []),
                )
                for resource, resource_fields in zip(resources, fields, strict=True)
            ]
        )
        diagnostics.extend(
            (d, "") for d in analyze_stack(analyzer, stack_request, SharedResources).diagnostics
        )
    return [_violation(diagnostic, default_urn) for diagnostic, default_urn in diagnostics] + _export_secrets(
        resources, policy_config
    )


@cache
def _judging(resource_type: str) -> list[Any]:
    """The resource rules with something to say about `resource_type`, in the pack's order.

    The rules left out would return at once (`ResourceRule.judges`), so the CLI, which calls them all,
    reports exactly what this reports.
    """
    return [
        rule
        for rule in ALL_RULES
        if isinstance(rule, ResourceValidationPolicy)
        and (not isinstance(rule, ResourceRule) or rule.judges(resource_type))
    ]


def _export_secrets(resources: list[dict[str, Any]], config: dict[str, dict[str, Any]]) -> list[Violation]:
    """Plain-text credentials in the export, which analyzers cannot see, reported under the credentials rule."""
    rule = RULES_BY_NAME[SECRETS_RULE]
    level = config.get(SECRETS_RULE, {}).get("enforcementLevel", rule.enforcement_level.value)
    if level == EnforcementLevel.DISABLED.value:
        return []
    return [
        Violation(SECRETS_RULE, level, rule.severity.value, urn, message, rule.remediation_steps or "", "")
        for urn, message in plaintext_credentials(resources)
    ]


def _policy_config(config: dict[str, dict[str, Any]]) -> dict[str, proto.PolicyConfig]:
    """As the CLI sends it: each configured rule with its properties, and its own level unless overridden."""
    result = {}
    for rule_name, settings in config.items():
        properties = struct_pb2.Struct()
        properties.update({k: v for k, v in settings.items() if k != "enforcementLevel"})
        level = EnforcementLevel(
            settings.get("enforcementLevel", RULES_BY_NAME[rule_name].enforcement_level.value)
        )
        result[rule_name] = proto.PolicyConfig(properties=properties, enforcementLevel=_LEVELS[level])
    return result


def _violation(diagnostic: proto.AnalyzeDiagnostic, default_urn: str) -> Violation:
    rule = RULES_BY_NAME[diagnostic.policyName]
    message = diagnostic.message.split("\n", 1)[-1] if "\n" in diagnostic.message else diagnostic.message
    framework = f"{rule.framework.name} {rule.framework.reference}" if rule.framework else ""
    return Violation(
        rule=diagnostic.policyName,
        enforcement=proto.EnforcementLevel.Name(diagnostic.enforcementLevel).lower(),
        severity=rule.severity.value if rule.severity else "",
        urn=diagnostic.urn or default_urn,
        message=message,
        remediation=rule.remediation_steps or "",
        framework=framework,
    )
