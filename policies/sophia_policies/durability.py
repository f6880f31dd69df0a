"""Durability rules: stateful resources are protected, and Time Travel retention meets the minimum."""

from fnmatch import fnmatchcase

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, Severity

from .rule import NUMBER, STRINGS, Settings, cis, resource_rule
from .snowflake import DATABASE, SCHEMA, STREAM_ON_TABLE, TABLE, number

STATEFUL = (DATABASE, SCHEMA, TABLE, STREAM_ON_TABLE)


def _protected(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if not args.opts.protect:
        report(f"{args.name} holds data but is not protected against deletion.", None)


def _schema_name(args: ResourceValidationArgs) -> str:
    return str(args.props.get("schema") if args.resource_type == TABLE else args.props.get("name", ""))


def _retention(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
    days = number(args.props, "dataRetentionTimeInDays")
    if days is None:
        if args.resource_type != TABLE:
            report(f"{args.name} leaves Time Travel retention to the account default.", None)
        return
    critical = args.resource_type != DATABASE and any(
        fnmatchcase(_schema_name(args), pattern) for pattern in config["criticalSchemas"]
    )
    minimum = config["criticalRetentionDays"] if critical else config["minRetentionDays"]
    if days < minimum:
        kind = "critical data" if critical else "data"
        report(f"{args.name} keeps {days:g} days of Time Travel; {kind} needs at least {minimum:g}.", None)


DURABILITY_RULES = [
    resource_rule(
        "stateful-resources-protected",
        "Databases, schemas, tables and streams are protected from deletion (prod).",
        Severity.HIGH,
        "Set protect=True on the resource; the platform does this for every stateful resource when "
        "sophia-data-platform:environment is prod.",
        _protected,
        types=STATEFUL,
        enforcement=EnforcementLevel.MANDATORY,
    ),
    resource_rule(
        "retention-at-least-minimum",
        "Time Travel retention is at or above the configured minimum; critical data keeps the longer one.",
        Severity.HIGH,
        "Raise sophia-data-platform:database.retentionDays or "
        "sophia-data-platform:database.criticalRetentionDays to the minimum "
        "(retention-at-least-minimum.minRetentionDays and retention-at-least-minimum.criticalRetentionDays "
        "in policies/config/<stack>.json).",
        _retention,
        types=(DATABASE, SCHEMA, TABLE),
        framework=cis("4.3", "Ensure DATA_RETENTION_TIME_IN_DAYS is set to 90 for critical data"),
        settings={
            "minRetentionDays": (NUMBER, 1),
            "criticalRetentionDays": (NUMBER, 90),
            "criticalSchemas": (STRINGS, ["FOUNDATIONAL_KNOWLEDGE", "*_DATA"]),
        },
    ),
]
