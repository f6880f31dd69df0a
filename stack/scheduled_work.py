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
        # The gate's tasks, the PII tagging tasks (components/pii_tagging.py) and the entity tasks chained
        # after the gate (AFTER) all run on its schedule and compute: a count of each, none when it is zero.
        on_gate = (Schedule.parse(gate.schedule), gate.warehouse.warehouse)
        for what, count in (
            ("quality gate tasks", len(config.sources)),
            ("PII tagging tasks", len(config.airbyte.sources) if config.airbyte is not None else 0),
            ("entity tasks after the gate", len(config.entity_mappings)),
        ):
            if count:
                work.append(ScheduledWork(what, count, *on_gate))
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
