"""The quality gate's alerts and the notification integration they send through, declared as the gate's children."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.notification_integration import WebhookTarget, webhook_integration
from catalog.quality_gate.alerts import AlertSpec, gate_alerts
from catalog.quality_gate.objects import GateObjects
from catalog.views import EMBEDDING_FRESHNESS
from components.context import PlatformComponent
from models.enums import AlertChannel
from models.naming import OPS_SCHEMA, Naming
from models.schedules import Schedule
from stack.quality_gate import QualityGateConfig


@dataclass(frozen=True)
class GateAlertsArgs:
    """The gate's config, webhook and objects, the owner's grants the alerts need, the objects they read."""

    config: QualityGateConfig
    webhook: WebhookTarget | None
    objects: GateObjects
    owner_grants: Sequence[pulumi.Resource]
    reads: Sequence[pulumi.Resource]


@dataclass(frozen=True)
class _Parent:
    """The gate the alerts belong to, and the name its children's names start with."""

    gate: PlatformComponent
    name: str


def create_alerts(
    parent: PlatformComponent, name: str, args: GateAlertsArgs
) -> tuple[pulumi.Resource, list[snowflake.Alert]]:
    """The integration, then one alert per condition, each a child of `parent` (named `name`) made by the owner."""
    gate = _Parent(parent, name)
    integration = _create_integration(gate, args)
    return integration, [_create_alert(gate, args, integration, spec) for spec in _alert_specs(parent, args)]


def _create_integration(parent: _Parent, args: GateAlertsArgs) -> pulumi.Resource:
    """The notification integration the alerts send through, created by the owner, which so may use it."""
    context, base = parent.gate.context, parent.name
    name = context.naming.alert_integration()
    notify = args.config.alerts.notify
    if notify.kind is AlertChannel.EMAIL:
        return snowflake.EmailNotificationIntegration(
            f"{base}-integration",
            name=name,
            enabled=True,
            allowed_recipients=list(notify.recipients),
            comment="Sophia AI data-quality alerts by e-mail",
            opts=parent.gate.options(*args.owner_grants[:1]),
        )
    if args.webhook is None:
        raise ValueError(f"alerts of kind {notify.kind.value!r} need the webhook's credential")
    secret = snowflake.SecretWithGenericString(
        f"{base}-webhook-secret",
        database=context.naming.database,
        schema=OPS_SCHEMA,
        name=Naming.alert_webhook_secret(),
        secret_string=pulumi.Output.secret(args.webhook.secret),
        comment=f"The {notify.kind.value} webhook credential of the data-quality alerts",
        opts=parent.gate.options(context.schemas[OPS_SCHEMA]),
    )
    statements = webhook_integration(
        name, context.naming.in_database_unquoted(OPS_SCHEMA, Naming.alert_webhook_secret()), args.webhook
    )
    # CREATE without OR REPLACE: a changed statement re-creates the integration, and dropping the old one
    # first (delete_before_replace) keeps its revert from dropping the new one under the same name.
    return snowflake.Execute(
        f"{base}-integration",
        execute=statements.create,
        revert=statements.drop,
        query=statements.show,
        opts=parent.gate.options(secret, *args.owner_grants[:1], delete_before_replace=True),
    )


def _alert_specs(parent: PlatformComponent, args: GateAlertsArgs) -> list[AlertSpec]:
    naming = parent.context.naming
    return gate_alerts(
        args.objects,
        naming.alert_integration(),
        args.config.settle_minutes,
        args.config.max_hold_minutes,
        naming.in_database_unquoted(OPS_SCHEMA, EMBEDDING_FRESHNESS),
        channel=args.config.alerts.notify.kind,
    )


def _create_alert(
    parent: _Parent, args: GateAlertsArgs, integration: pulumi.Resource, spec: AlertSpec
) -> snowflake.Alert:
    """On the configured warehouse: pulumi-snowflake's Alert always names one (alert.py, `warehouse`)."""
    context, alerts = parent.gate.context, args.config.alerts
    warehouse = context.warehouses[alerts.warehouse]
    waits = [
        integration,
        *args.owner_grants,
        warehouse,
        context.owner.warehouse_usage[alerts.warehouse],
        *args.reads,
    ]
    return snowflake.Alert(
        f"{parent.name}-{spec.name.lower().replace('_', '-')}",
        database=context.naming.database,
        schema=OPS_SCHEMA,
        name=spec.name,
        warehouse=warehouse.name,
        alert_schedule=Schedule.parse(alerts.schedule).alert_args(),
        condition=spec.condition,
        action=spec.action,
        enabled=True,
        comment=f"Sophia AI data-quality alert {spec.name}",
        opts=parent.gate.options(*waits),
    )
