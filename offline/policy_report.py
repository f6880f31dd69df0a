"""Policy violations as text, JSON, GitHub workflow commands, SARIF 2.1.0 or Markdown."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from offline.ci_formats import ReportFormat, github_command, markdown_cell
from offline.policy_check import PACK_VERSION, RULES_BY_NAME, PolicyConfig, Violation
from offline.source_locations import SourceLocation, SourceLocator
from offline.urns import parse_urn
from policies.sophia_policies.registry import PACK_NAME

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub code scanning ranks security alerts by `security-severity`: 9.0+ critical, 7.0-8.9 high,
# 4.0-6.9 medium, 0.1-3.9 low (docs.github.com, "SARIF support for code scanning").
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
FINGERPRINT = "sophiaPolicyViolation/v1"


@dataclass(frozen=True)
class PolicyReport:
    """The violations of one check and the policy config they were judged with."""

    violations: list[Violation]
    config: PolicyConfig

    @property
    def mandatory(self) -> int:
        """Mandatory violations: any of them fails the command."""
        return sum(v.mandatory for v in self.violations)

    @property
    def advisory(self) -> int:
        """Advisory violations: shown, never failing."""
        return len(self.violations) - self.mandatory

    def ordered(self) -> list[Violation]:
        """Mandatory first, then by rule and URN, so two runs print the same report."""
        return sorted(self.violations, key=lambda v: (not v.mandatory, v.rule, v.urn))


def render_policy_report(report: PolicyReport, fmt: ReportFormat, locator: SourceLocator) -> str:
    """The report in `fmt`; every format names the policy config used."""
    renderers = {
        ReportFormat.TEXT: _text,
        ReportFormat.JSON: _json,
        ReportFormat.GITHUB: _github,
        ReportFormat.SARIF: _sarif,
        ReportFormat.MARKDOWN: _markdown,
    }
    return renderers[fmt](report, locator)


def resource_name(urn: str) -> str:
    """The resource's logical name, or `(stack)` for a finding about the stack as a whole."""
    parsed = parse_urn(urn)
    return parsed.name if parsed else "(stack)"


def _text(report: PolicyReport, _: SourceLocator) -> str:
    """One block per violation; nothing is wrapped or cut, whatever the terminal."""
    lines = [f"policy config: {report.config.source}"]
    if not report.violations:
        return "\n".join([*lines, "policy pack: no violations"])
    lines.append(f"policy pack: {report.mandatory} mandatory, {report.advisory} advisory violations")
    for violation in report.ordered():
        graded = " ".join(part for part in (violation.severity, violation.framework) if part)
        lines += [
            "",
            f"[{violation.enforcement}] {violation.rule}" + (f" ({graded})" if graded else ""),
            f"  resource:    {resource_name(violation.urn)}",
            f"  urn:         {violation.urn or '(stack)'}",
            f"  message:     {violation.message}",
            f"  remediation: {violation.remediation}",
        ]
    return "\n".join(lines)


def _about(violation: Violation) -> str:
    """The message, led by the resource's name unless the rule's message already names it."""
    name = resource_name(violation.urn)
    return violation.message if name in violation.message else f"{name}: {violation.message}"


def policy_json(report: PolicyReport) -> dict[str, Any]:
    """The report as a JSON-ready dict: counts, the config used and every violation."""
    return {
        "policyPack": PACK_NAME,
        "policyConfig": report.config.source,
        "mandatory": report.mandatory,
        "advisory": report.advisory,
        "violations": [v.to_json() for v in report.ordered()],
    }


def _json(report: PolicyReport, _: SourceLocator) -> str:
    return json.dumps(policy_json(report), indent=2)


def _github(report: PolicyReport, locator: SourceLocator) -> str:
    """A notice naming the config, then one `::error` (mandatory) or `::warning` (advisory) per violation."""
    lines = [github_command("notice", f"policy config: {report.config.source}", "policy config")]
    for violation in report.ordered():
        message = (
            f"{_about(violation)}\nRemediation: {violation.remediation}\nURN: {violation.urn or '(stack)'}"
        )
        level = "error" if violation.mandatory else "warning"
        lines.append(github_command(level, message, violation.rule, locator.locate(violation.urn)))
    return "\n".join(lines)


def _markdown(report: PolicyReport, _: SourceLocator) -> str:
    """A heading with the counts, the config used, and a table of violations (for a step summary)."""
    heading = (
        "### Policy pack: no violations"
        if not report.violations
        else f"### Policy pack: {report.mandatory} mandatory, {report.advisory} advisory violations"
    )
    lines = [heading, "", f"Policy config: `{report.config.source}`"]
    if report.violations:
        lines += ["", "| level | rule | resource | message | remediation |", "|---|---|---|---|---|"]
        for v in report.ordered():
            level = "**mandatory**" if v.mandatory else "advisory"
            # A code span keeps GitHub from reading the `$`s of a URN as inline math.
            resource = f"`{resource_name(v.urn)}`<br>`{markdown_cell(v.urn or '(stack)')}`"
            cells = [level, f"`{v.rule}`", resource, markdown_cell(v.message), markdown_cell(v.remediation)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _sarif(report: PolicyReport, locator: SourceLocator) -> str:
    """A SARIF 2.1.0 log: every rule of the pack, and one result per violation at its source location."""
    rules = list(RULES_BY_NAME.values())
    index = {rule.name: position for position, rule in enumerate(rules)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": PACK_NAME,
                        "version": PACK_VERSION,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "properties": {"policyConfig": report.config.source}}
                ],
                "results": [_sarif_result(v, index[v.rule], locator) for v in report.ordered()],
            }
        ],
    }
    return json.dumps(document, indent=2)


def _sarif_rule(rule: Any) -> dict[str, Any]:
    severity = rule.severity.value if rule.severity else "medium"
    tags = ["security", "pulumi-policy"]
    if rule.framework:
        tags.append(f"{rule.framework.name} {rule.framework.reference}")
    return {
        "id": rule.name,
        "name": rule.name,
        "shortDescription": {"text": rule.description},
        "help": {"text": rule.remediation_steps or rule.description},
        "properties": {"tags": tags, "security-severity": SECURITY_SEVERITY.get(severity, "5.5")},
    }


def _sarif_result(violation: Violation, rule_index: int, locator: SourceLocator) -> dict[str, Any]:
    primary = locator.locate(violation.urn)
    declared_by = locator.component(violation.urn)
    result: dict[str, Any] = {
        "ruleId": violation.rule,
        "ruleIndex": rule_index,
        "level": "error" if violation.mandatory else "warning",
        "message": {"text": _about(violation)},
        "locations": [_sarif_location(primary, violation.urn)],
        "partialFingerprints": {
            FINGERPRINT: hashlib.sha256(f"{violation.rule}\0{violation.urn}".encode()).hexdigest()
        },
    }
    if declared_by and declared_by != primary:
        result["relatedLocations"] = [{**_sarif_location(declared_by, violation.urn), "id": 1}]
    return result


def _sarif_location(location: SourceLocation, urn: str) -> dict[str, Any]:
    sarif_location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": location.path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": location.line},
        },
        "message": {"text": location.what},
    }
    if urn:
        sarif_location["logicalLocations"] = [
            {"fullyQualifiedName": urn, "name": resource_name(urn), "kind": "resource"}
        ]
    return sarif_location
