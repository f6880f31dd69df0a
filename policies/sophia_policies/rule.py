"""One way to declare a rule: metadata, CIS reference, config with defaults, and a plain validation function."""

from collections.abc import Callable, Collection, Mapping
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


class ResourceRule(ResourceValidationPolicy):
    """A resource rule that names the resource types it judges (None: every type); others pass it unjudged.

    The CLI calls every rule for every resource and the rule returns at once for a type it does not judge;
    the offline check asks `judges` first and skips that call (offline/policy_check.py), to the same effect.
    """

    def __init__(self, *, types: Collection[str] | None, **policy: Any) -> None:
        super().__init__(**policy)
        self.types = None if types is None else frozenset(types)

    def judges(self, resource_type: str) -> bool:
        """Whether this rule has anything to say about a resource of `resource_type`."""
        return self.types is None or resource_type in self.types


def _rule(
    policy_class: type[ResourceValidationPolicy] | type[StackValidationPolicy],
    name: str,
    description: str,
    severity: Severity,
    remediation: str,
    validate: Callable[[Any, ReportViolation, Settings], None],
    framework: PolicyComplianceFramework | None = None,
    enforcement: EnforcementLevel = EnforcementLevel.MANDATORY,
    settings: Mapping[str, tuple[dict[str, Any], Any]] | None = None,
    **policy: Any,
) -> Any:
    """Metadata, a config schema with defaults, and `validate` called with the config merged over them."""
    settings = settings or {}
    defaults = {key: default for key, (_, default) in settings.items()}
    return policy_class(
        name=name,
        description=description,
        enforcement_level=enforcement,
        severity=severity,
        framework=framework,
        remediation_steps=remediation,
        config_schema=_schema(settings),
        validate=lambda args, report: validate(args, report, {**defaults, **(args.get_config() or {})}),
        **policy,
    )


def resource_rule(name: str, description: str, severity: Severity, remediation: str, check: ResourceCheck, *,
                  types: Collection[str] | None, **options: Any) -> ResourceRule:  # fmt: skip
    """A rule judged one resource at a time, for resources of `types` only (None: every type).

    Options: framework, enforcement, settings.
    """

    def validate(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
        if rule.judges(args.resource_type):
            check(args, report, config)

    rule: ResourceRule = _rule(ResourceRule, name, description, severity, remediation, validate, types=types,
                               **options)  # fmt: skip
    return rule


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
