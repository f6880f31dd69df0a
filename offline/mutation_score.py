"""How many one-property changes of the shipped exports the policy pack catches, family by family.

`python -m offline.mutation_score build/dev/stack.json dev` prints the score. Each mutant is judged by the
pack's own rules on pulumi-policy's own argument types, built once from the export as the analyzer builds
them: resource rules on the changed resource only (the shipped export passes, and a resource rule sees one
resource and its provider), stack rules on the whole stack; a changed provider goes through `check` whole.
`tests/test_mutation_score.py` proves the shortcut agrees with `check` on a sample.
"""

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationArgs
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
)
from pulumi_policy.proxy import unknown_checking_proxy

from offline.analyzer_requests import analyzer_fields
from offline.export_secrets import RULE as SECRETS_RULE
from offline.export_secrets import plaintext_credentials
from offline.mutants import Mutant, mutants
from offline.policy_check import check, load_export, load_policy_config
from policies.sophia_policies.registry import ALL_RULES

PROVIDER_PREFIX = "pulumi:providers:"


def _props(struct: Any) -> Any:
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


class FastPack:
    """The pack's rules, called directly on argument objects built once from a clean export."""

    def __init__(self, resources: list[dict[str, Any]], config: dict[str, dict[str, Any]]) -> None:
        self.resources, self.config = resources, config
        self.by_urn = {r["urn"]: r for r in resources}
        self._providers: dict[str, Any] = {}  # each provider decoded once, as the policy check does
        self.built = {r["urn"]: self._build(r) for r in resources}
        self.rules = [rule for rule in ALL_RULES if self._level(rule) != EnforcementLevel.DISABLED]

    def _level(self, rule: Any) -> EnforcementLevel:
        return EnforcementLevel(
            self.config.get(rule.name, {}).get("enforcementLevel", rule.enforcement_level.value)
        )

    def _rule_config(self, rule: Any) -> dict[str, Any]:
        return {k: v for k, v in self.config.get(rule.name, {}).items() if k != "enforcementLevel"}

    def _build(self, resource: dict[str, Any]) -> tuple[PolicyResource, PolicyProviderResource | None]:
        request = proto.AnalyzeRequest(**analyzer_fields(resource, self.by_urn, self._providers))
        opts = PolicyResourceOptions(
            request.options.protect, list(request.options.ignoreChanges), None, [], PolicyCustomTimeouts(0, 0, 0),
            [], request.options.parent or None,
        )  # fmt: skip
        provider = None
        if request.HasField("provider"):
            p = request.provider
            provider = PolicyProviderResource(p.type, _props(p.properties), p.urn, p.name)
        built = PolicyResource(request.type, _props(request.properties), request.urn, request.name, opts, provider,
                               None, [], {})  # fmt: skip
        return built, provider

    def caught(self, mutant: Mutant) -> set[str]:
        """The rules that fail the plan (mandatory violations) on the mutated export."""
        changed = mutant.applied(self.resources)
        if mutant.urn.split("::")[2].startswith(PROVIDER_PREFIX):
            return {v.rule for v in check(changed, self.config) if v.mandatory}
        resource = next(r for r in changed if r["urn"] == mutant.urn)
        target, _ = self._build(resource)
        stack = [target if urn == mutant.urn else built for urn, (built, _) in self.built.items()]
        found: set[str] = set()
        for rule in self.rules:
            if self._level(rule) == EnforcementLevel.ADVISORY:
                continue
            hit: list[str] = []
            report = lambda message, urn=None, hit=hit: hit.append(message)  # noqa: E731
            try:
                if isinstance(rule, ResourceValidationPolicy):
                    args = ResourceValidationArgs(target.resource_type, target.props, target.urn, target.name,
                                                  target.opts, target.provider, self._rule_config(rule), {})  # fmt: skip
                else:
                    args = StackValidationArgs(stack, self._rule_config(rule), {})
                rule.validate(args, report)
            except Exception as error:  # an unknown value: the analyzer reports it as advisory
                if type(error).__name__ != "UnknownValueError":
                    raise
            if hit:
                found.add(rule.name)
        if (
            list(plaintext_credentials([resource]))
            and self._level_by_name(SECRETS_RULE) != EnforcementLevel.DISABLED
        ):
            found.add(SECRETS_RULE)
        return found

    def _level_by_name(self, name: str) -> EnforcementLevel:
        return self._level(next(rule for rule in ALL_RULES if rule.name == name))


@dataclass
class Score:
    """Per family: mutants, how many break a promise, how many the pack catches, and the ones that slipped."""

    total: Counter = field(default_factory=Counter)
    breaking: Counter = field(default_factory=Counter)
    caught: Counter = field(default_factory=Counter)
    caught_breaking: Counter = field(default_factory=Counter)
    slipped: list[Mutant] = field(default_factory=list)


def sample(every: list[Mutant], per_family: int | None) -> list[Mutant]:
    """The first `per_family` mutants of each family, ordered by a hash of resource and change; all with None."""
    key = lambda m: hashlib.sha256(f"{m.urn}|{m.change}".encode()).hexdigest()  # noqa: E731
    by_family: dict[str, list[Mutant]] = {}
    for mutant in every:
        by_family.setdefault(mutant.family, []).append(mutant)
    return [m for family in by_family.values() for m in sorted(family, key=key)[:per_family]]


def score(
    resources: list[dict[str, Any]], config: dict[str, dict[str, Any]], per_family: int | None = None
) -> Score:
    """Judges the export's mutants (a sample of `per_family` per family, or all) with the pack."""
    pack, result = FastPack(resources, config), Score()
    for mutant in sample(mutants(resources), per_family):
        hit = bool(pack.caught(mutant))
        result.total[mutant.family] += 1
        result.caught[mutant.family] += hit
        if mutant.breaks:
            result.breaking[mutant.family] += 1
            result.caught_breaking[mutant.family] += hit
            if not hit:
                result.slipped.append(mutant)
    return result


def report(result: Score) -> str:
    """A markdown table: family, mutants, promise-breaking, caught of those, caught of all."""
    lines = [
        "| family | mutants | break a promise | of those caught | caught of all |",
        "|---|---|---|---|---|",
    ]
    for family in result.total:
        lines.append(
            f"| {family} | {result.total[family]} | {result.breaking[family]} | "
            f"{result.caught_breaking[family]} | {result.caught[family]} |"
        )
    lines += [
        f"slipped: {m.family} {m.urn.rsplit('::', 1)[-1]} {m.change} ({m.breaks})" for m in result.slipped
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    export, stack = Path(sys.argv[1]), sys.argv[2]
    print(report(score(load_export(export), load_policy_config(Path.cwd(), stack))))
