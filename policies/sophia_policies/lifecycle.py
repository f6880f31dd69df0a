"""Stateful data is never transient where the stack protects it, and scheduled tasks never overlap themselves.

Snowflake: a transient database or schema has no Fail-safe (CREATE SCHEMA, TRANSIENT); a task run that
starts while the previous one still runs is skipped unless ALLOW_OVERLAPPING_EXECUTION = TRUE (CREATE TASK),
which pulumi-snowflake takes as "true", "false" or its "default" (task.py, `allow_overlapping_execution`).
"""

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity

from .rule import Settings, resource_rule
from .snowflake import DATABASE, SCHEMA, TASK


def _true(value: object) -> bool:
    return str(value).lower() == "true"


def _protected_not_transient(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if (
        args.resource_type in (DATABASE, SCHEMA)
        and args.opts.protect
        and _true(args.props.get("isTransient"))
    ):
        report(f"{args.name} holds data the stack protects, yet is transient: it has no Fail-safe.", None)


def _no_overlap(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if args.resource_type == TASK and _true(args.props.get("allowOverlappingExecution")):
        report(f"{args.name} may start while its previous run still runs (allowOverlappingExecution).", None)


LIFECYCLE_RULES = [
    resource_rule(
        "protected-data-never-transient",
        "A database or schema the stack protects (prod) is never transient.",
        Severity.HIGH,
        "Drop is_transient from the database or schema.",
        _protected_not_transient,
    ),
    resource_rule(
        "tasks-never-overlap",
        "No task (the gate's, the embedding tasks') may run while its previous run still runs.",
        Severity.HIGH,
        'Set allow_overlapping_execution="false" on the task.',
        _no_overlap,
    ),
]
