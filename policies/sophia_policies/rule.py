"""One way to declare a rule: metadata, CIS reference, config with defaults, and a plain validation function."""

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

CIS_NAME = "CIS Snowflake Foundations Benchmark"
CIS_VERSION = "1.0.0"

Settings = Mapping[str, Any]
ResourceCheck = Callable[[ResourceValidationArgs, ReportViolation, Settings], None]
StackCheck = Callable[[StackValidationArgs, ReportViolation, Settings], None]


def cis(reference: str, title: str) -> PolicyComplianceFramework:
    """The CIS Snowflake Foundations recommendation a rule enforces."""
    return PolicyComplianceFramework(
        name=CIS_NAME, version=CIS_VERSION, reference=reference, specification=title
    )


def _schema(settings: Mapping[str, tuple[dict[str, Any], Any]]) -> PolicyConfigSchema | None:
    """Config properties as JSON schema, each with its default, so `pulumi policy` documents them."""
    if not settings:
        return None
    return PolicyConfigSchema(
        {key: {**schema, "default": default} for key, (schema, default) in settings.items()}
    )


def _with_defaults(
    settings: Mapping[str, tuple[dict[str, Any], Any]], given: Mapping[str, Any]
) -> dict[str, Any]:
    return {**{key: default for key, (_, default) in settings.items()}, **(given or {})}


def _rule(
    policy_class: type[ResourceValidationPolicy] | type[StackValidationPolicy],
    name: str,
    description: str,
    severity: Severity,
    remediation: str,
    check: ResourceCheck | StackCheck,
    framework: PolicyComplianceFramework | None = None,
    enforcement: EnforcementLevel = EnforcementLevel.MANDATORY,
    settings: Mapping[str, tuple[dict[str, Any], Any]] | None = None,
) -> Any:
    """Metadata, a config schema with defaults, and `check` called with the config merged over them."""
    settings = settings or {}
    return policy_class(
        name=name,
        description=description,
        enforcement_level=enforcement,
        severity=severity,
        framework=framework,
        remediation_steps=remediation,
        config_schema=_schema(settings),
        validate=lambda args, report: check(args, report, _with_defaults(settings, args.get_config())),
    )


def resource_rule(name: str, description: str, severity: Severity, remediation: str, check: ResourceCheck,
                  **options: Any) -> ResourceValidationPolicy:  # fmt: skip
    """A rule judged one resource at a time (options: framework, enforcement, settings)."""
    return _rule(ResourceValidationPolicy, name, description, severity, remediation, check, **options)


def stack_rule(name: str, description: str, severity: Severity, remediation: str, check: StackCheck,
               **options: Any) -> StackValidationPolicy:  # fmt: skip
    """A rule that needs the whole stack: references, totals, coverage (options as for resource_rule)."""
    return _rule(StackValidationPolicy, name, description, severity, remediation, check, **options)


def provider_role(resource: Any) -> str | None:
    """The role of the explicit provider a resource is managed through, if the engine told us."""
    provider = getattr(resource, "provider", None)
    return provider.props.get("role") if provider is not None else None


STRING = {"type": "string"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
STRINGS = {"type": "array", "items": {"type": "string"}}
