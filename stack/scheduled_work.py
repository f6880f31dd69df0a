"""What the stack runs on a schedule, by warehouse: the work whose monthly credits the plan shows."""

from catalog.quality_gate.alerts import GateAlert
from catalog.security import CREDENTIAL_ALERTS
from models.credits import ScheduledWork
from models.schedules import Schedule
from stack.config import StackConfig


def scheduled_work(config: StackConfig) -> list[ScheduledWork]:
    """The embedding tasks, the gate's and PII tagging tasks, the entity tasks after them and the alerts: schedule, warehouse."""
    embedding = config.embedding
    work = [
        ScheduledWork(
            "embedding tasks",
            len(config.catalog.tables),
            Schedule.parse(embedding.schedule),
            embedding.warehouse,
        )
    ]
    gate = config.quality_gate
    if gate is not None:
        if config.sources:
            work.append(
                ScheduledWork(
                    "quality gate tasks",
                    len(config.sources),
                    Schedule.parse(gate.schedule),
                    gate.warehouse.warehouse,
                )
            )
        if config.airbyte is not None:
            # The PII tagging tasks run on the gate's schedule and compute (components/pii_tagging.py).
            work.append(
                ScheduledWork(
                    "PII tagging tasks",
                    len(config.airbyte.sources),
                    Schedule.parse(gate.schedule),
                    gate.warehouse.warehouse,
                )
            )
        if config.entity_mappings:
            # Chained after the gate (AFTER): they run when it runs, on its compute, in the same minute.
            work.append(
                ScheduledWork(
                    "entity tasks after the gate",
                    len(config.entity_mappings),
                    Schedule.parse(gate.schedule),
                    gate.warehouse.warehouse,
                )
            )
        work.append(
            ScheduledWork(
                "quality gate alerts",
                len(GateAlert),
                Schedule.parse(gate.alerts.schedule),
                gate.alerts.warehouse,
            )
        )
        # The credential alerts send through the gate's integration, on the gate alerts' warehouse.
        work.append(
            ScheduledWork(
                "credential alerts",
                len(CREDENTIAL_ALERTS),
                Schedule.parse(config.security.credentials.alert_schedule),
                gate.alerts.warehouse,
            )
        )
    return work
