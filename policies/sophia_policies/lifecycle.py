"""Stateful data is never transient where the stack protects it; scheduled work runs as promised, never overlapping.

Snowflake: a transient database or schema has no Fail-safe (CREATE SCHEMA, TRANSIENT); a task run that
starts while the previous one still runs is skipped unless ALLOW_OVERLAPPING_EXECUTION = TRUE (CREATE TASK),
which pulumi-snowflake takes as "true", "false" or its "default" (task.py, `allow_overlapping_execution`).
"""

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity

from models.naming import Naming

from .rule import Settings, resource_rule
from .snowflake import DATABASE, SCHEMA, TASK

ALERT = "snowflake:index/alert:Alert"
EMBED_TASK_SUFFIX = Naming.embed_task("")
GATE_TASK_PREFIX, _, GATE_TASK_SUFFIX = Naming.quality_gate_task("\0").partition("\0")
TAGGING_TASK_PREFIX, _, TAGGING_TASK_SUFFIX = Naming.pii_tagging_task("\0").partition("\0")


def _true(value: object) -> bool:
    return str(value).lower() == "true"


def _protected_not_transient(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if args.opts.protect and _true(args.props.get("isTransient")):
        report(f"{args.name} holds data the stack protects, yet is transient: it has no Fail-safe.", None)


def _no_overlap(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    if _true(args.props.get("allowOverlappingExecution")):
        report(f"{args.name} may start while its previous run still runs (allowOverlappingExecution).", None)


def _runs_as_promised(args: ResourceValidationArgs, report: ReportViolation, _: Settings) -> None:
    name = str(args.props.get("name", ""))
    if args.resource_type == ALERT and not _true(args.props.get("enabled")):
        report(
            f"{args.name} is suspended, so the gate's failures and held batches would raise nothing.", None
        )
    if args.resource_type != TASK:
        return
    started = _true(args.props.get("started"))
    if name.startswith(GATE_TASK_PREFIX) and name.endswith(GATE_TASK_SUFFIX) and not started:
        report(f"{args.name} is not started: promotion would wait for a webhook that may never come.", None)
    if name.startswith(TAGGING_TASK_PREFIX) and name.endswith(TAGGING_TASK_SUFFIX) and not started:
        report(f"{args.name} is not started: tables Airbyte creates would keep untagged PII columns.", None)
    if name.endswith(EMBED_TASK_SUFFIX) and not started:
        report(
            f"{args.name} is not started: its table's stream would go stale, its embeddings with it.", None
        )


LIFECYCLE_RULES = [
    resource_rule(
        "protected-data-never-transient",
        "A database or schema the stack protects (prod) is never transient.",
        Severity.HIGH,
        "Drop is_transient from the database or schema.",
        _protected_not_transient,
        types=(DATABASE, SCHEMA),
    ),
    resource_rule(
        "tasks-never-overlap",
        "No task (the gate's, the embedding tasks') may run while its previous run still runs.",
        Severity.HIGH,
        'Set allow_overlapping_execution="false" on the task.',
        _no_overlap,
        types=(TASK,),
    ),
    resource_rule(
        "scheduled-work-runs-as-promised",
        "The gate's tasks and the embedding tasks are started, and the gate's alerts resumed.",
        Severity.HIGH,
        "Set started=True on the task, or enabled=True on the alert.",
        _runs_as_promised,
        types=(ALERT, TASK),
    ),
]
