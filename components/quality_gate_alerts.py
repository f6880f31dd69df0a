"""The quality gate's alerts and the notification integration they send through, declared as the gate's children."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pulumi
import pulumi_snowflake as snowflake

from catalog.notification_integration import WebhookTarget, webhook_integration
from catalog.quality_gate.alerts import AlertSpec, gate_alerts
from catalog.quality_gate.objects import GateObjects
from catalog.views import EMBEDDING_FRESHNESS
from components.owner import DatabaseOwner
from models.enums import AlertChannel, WarehousePurpose
from models.naming import OPS_SCHEMA, Naming
from models.schedules import Schedule
from stack.quality_gate import QualityGateConfig


class GateDeclaration(Protocol):
    """What the alerts read of the gate's own args (components.quality_gate.QualityGateArgs)."""

    config: QualityGateConfig
    webhook: WebhookTarget | None
    naming: Naming
    ops_schema: snowflake.Schema
    warehouses: "dict[WarehousePurpose, snowflake.Warehouse]"
    owner: DatabaseOwner


@dataclass(frozen=True)
class GateAlertsArgs:
    """The gate's args, its objects, the owner's grants the alerts need and the objects their conditions read."""

    gate: GateDeclaration
    objects: GateObjects
    owner_grants: Sequence[pulumi.Resource]
    reads: Sequence[pulumi.Resource]


@dataclass(frozen=True)
class _Parent:
    """The gate the alerts belong to: the resource, and the name its children's names start with."""

    resource: pulumi.ComponentResource
    name: str

    def owned(
        self, args: GateAlertsArgs, *depends_on: pulumi.Resource, **options: object
    ) -> pulumi.ResourceOptions:
        """Created by the owner, as the gate's child, after `depends_on`."""
        return pulumi.ResourceOptions(
            parent=self.resource, provider=args.gate.owner.provider, depends_on=list(depends_on), **options
        )


def create_alerts(
    parent: pulumi.ComponentResource, name: str, args: GateAlertsArgs
) -> tuple[pulumi.Resource, list[snowflake.Alert]]:
    """The integration, then one alert per condition, each a child of `parent` (named `name`) created by the owner."""
    gate = _Parent(parent, name)
    integration = _create_integration(gate, args)
    return integration, [_create_alert(gate, args, integration, spec) for spec in _alert_specs(args)]


def _create_integration(parent: _Parent, args: GateAlertsArgs) -> pulumi.Resource:
    """The notification integration the alerts send through, created by the owner, which so may use it."""
    gate, base = args.gate, parent.name
    name = gate.naming.alert_integration()
    notify = gate.config.alerts.notify
    if notify.kind is AlertChannel.EMAIL:
        return snowflake.EmailNotificationIntegration(
            f"{base}-integration",
            name=name,
            enabled=True,
            allowed_recipients=list(notify.recipients),
            comment="Sophia AI data-quality alerts by e-mail",
            opts=parent.owned(args, *args.owner_grants[:1]),
        )
    if gate.webhook is None:
        raise ValueError(f"alerts of kind {notify.kind.value!r} need the webhook's credential")
    secret = snowflake.SecretWithGenericString(
        f"{base}-webhook-secret",
        database=gate.naming.database,
        schema=OPS_SCHEMA,
        name=Naming.alert_webhook_secret(),
        secret_string=pulumi.Output.secret(gate.webhook.secret),
        comment=f"The {notify.kind.value} webhook credential of the data-quality alerts",
        opts=parent.owned(args, gate.ops_schema),
    )
    statements = webhook_integration(
        name, gate.naming.in_database_unquoted(OPS_SCHEMA, Naming.alert_webhook_secret()), gate.webhook
    )
    # CREATE without OR REPLACE: a changed statement re-creates the integration, and dropping the old one
    # first (delete_before_replace) keeps its revert from dropping the new one under the same name.
    return snowflake.Execute(
        f"{base}-integration",
        execute=statements.create,
        revert=statements.drop,
        query=statements.show,
        opts=parent.owned(args, secret, *args.owner_grants[:1], delete_before_replace=True),
    )


def _alert_specs(args: GateAlertsArgs) -> list[AlertSpec]:
    gate = args.gate
    return gate_alerts(
        args.objects,
        gate.naming.alert_integration(),
        gate.config.settle_minutes,
        gate.config.max_hold_minutes,
        gate.naming.in_database_unquoted(OPS_SCHEMA, EMBEDDING_FRESHNESS),
        channel=gate.config.alerts.notify.kind,
    )


def _create_alert(
    parent: _Parent, args: GateAlertsArgs, integration: pulumi.Resource, spec: AlertSpec
) -> snowflake.Alert:
    """On the configured warehouse: pulumi-snowflake's Alert always names one (alert.py, `warehouse`)."""
    gate, alerts = args.gate, args.gate.config.alerts
    warehouse = gate.warehouses[alerts.warehouse]
    waits = [
        integration,
        *args.owner_grants,
        warehouse,
        gate.owner.warehouse_usage[alerts.warehouse],
        *args.reads,
    ]
    return snowflake.Alert(
        f"{parent.name}-{spec.name.lower().replace('_', '-')}",
        database=gate.naming.database,
        schema=OPS_SCHEMA,
        name=spec.name,
        warehouse=warehouse.name,
        alert_schedule=Schedule.parse(alerts.schedule).alert_args(),
        condition=spec.condition,
        action=spec.action,
        enabled=True,
        comment=f"Sophia AI data-quality alert {spec.name}",
        opts=parent.owned(args, *waits),
    )
