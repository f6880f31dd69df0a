"""The data-quality gate in the stack: its tables and view, a procedure and task per source, its alerts."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.notification_integration import WebhookTarget
from catalog.quality_gate.objects import (
    HELD_BATCHES,
    GateObjects,
    PromotedStream,
    held_batches_view,
)
from catalog.quality_gate.procedures import (
    ProcedureSpec,
    decide_procedure,
    gate_procedure,
    gate_task_statement,
)
from catalog.quality_gate.tables import GATE_TABLES
from catalog.table_spec import TableSpec
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from components.quality_gate_alerts import GateAlertsArgs, create_alerts
from components.snowflake_database_roles import grant_snowflake_database_role
from components.tagging import TaggedObject, tag_objects
from models.access_matrix import (
    OWNER_GATE_ACCOUNT_PRIVILEGES,
    OWNER_SERVERLESS_TASK_PRIVILEGE,
    SnowflakeDatabaseRole,
)
from models.naming import OPS_SCHEMA, Naming
from models.schedules import Schedule
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency
from stack.quality_gate import QualityGateConfig

# What serverless gate runs start on before Snowflake sizes them from their history (CREATE TASK,
# USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE): a gate run reads one batch, so the smallest.
SERVERLESS_INITIAL_SIZE = "XSMALL"
# The results keep up to five failing keys and the failing rows keep every key: keys, not payloads.
OPS_TABLE_METADATA = SophiaMetadata(
    entity_type="data_quality",
    data_source="sophia",
    update_frequency=UpdateFrequency.HOURLY,
    pii_level=PiiLevel.LOW,
    vector_index=False,
)


@dataclass(frozen=True)
class QualityGateArgs:
    """What the gate is declared from beyond the platform context: its config, each source's promoted streams."""

    config: QualityGateConfig
    webhook: WebhookTarget | None
    streams: Mapping[str, Sequence[PromotedStream]]
    # The owner's access to RAW (read) and curated (create, write): what the gate procedures run with.
    owner_access: Sequence[pulumi.Resource]
    # The views the coverage alert reads, EMBEDDING_FRESHNESS among them.
    knowledge_views: Sequence[snowflake.View]


def declared_checks(streams: Mapping[str, Sequence[PromotedStream]]) -> dict[str, list[dict]]:
    """Each source's promoted streams with key and checks, as the component's inputs: what the policy pack reads."""
    return {
        source: [
            {
                "stream": stream.table,
                "primaryKey": list(stream.key_columns),
                "checks": [
                    {
                        "check": check.kind.value,
                        "columns": list(check.columns),
                        "severity": check.severity.value,
                    }
                    for check in stream.checks
                ],
            }
            for stream in promoted
        ]
        for source, promoted in streams.items()
    }


class QualityGate(PlatformComponent):
    """Per source a gate procedure and the task that runs it after each sync; results, alerts, their grants.

    Everything inside the database is created by the owner role, so it owns it: the tasks and alerts run
    as that role, which reads RAW and writes curated through its access roles. Alerts reach Slack, Teams or
    PagerDuty through a webhook notification integration, which pulumi-snowflake cannot declare, so an
    Execute creates it, or e-mail through an e-mail notification integration.
    """

    # The type token before the gate took its word in every layer (sophia:quality_gate:QualityGate now).
    renamed_from = "sophia:quality:QualityGate"

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: QualityGateArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        checks = declared_checks(args.streams)
        # AnalyzeStack sees a component's outputs (pulumi pkg/resource/deploy/step_generator.go,
        # AnalyzeResources) and an export records its inputs: the checks are both, for the policy pack.
        super().__init__(name, context, opts, {"promotedStreams": checks})
        self._args = args
        self._objects = GateObjects(context.naming, OPS_SCHEMA)
        self.account_privileges = self._grant_account_privileges()
        # The alerts run as their owner and call SNOWFLAKE.ALERT.* functions: the owner holds ALERT_VIEWER.
        self.alert_viewer = grant_snowflake_database_role(
            self,
            f"{name}-alert-viewer",
            SnowflakeDatabaseRole.ALERT_VIEWER,
            context.owner.role,
            context.providers,
        )
        self.tables = {spec.name: self._create_table(spec) for spec in GATE_TABLES.values()}
        self._tag_tables()
        self.held_batches = self._create_held_batches_view()
        self.decide_procedure = self._create_procedure("decide", decide_procedure(self._objects))
        self.procedures = {
            source: self._create_procedure(
                source.lower(), gate_procedure(self._objects, source, streams, args.config.settings())
            )
            for source, streams in args.streams.items()
        }
        # Keyed by source as in airbyte.sources, so grants (OPERATE for the event receiver) can name them.
        self.tasks = {
            source: self._create_task(source, procedure) for source, procedure in self.procedures.items()
        }
        self.integration, self.alerts = create_alerts(
            self,
            name,
            GateAlertsArgs(
                config=args.config,
                webhook=args.webhook,
                objects=self._objects,
                # The owner creates the integration and the alerts, and reads what they read, first.
                owner_grants=(self.account_privileges, self.alert_viewer),
                reads=(self.held_batches, *self.tables.values(), *args.knowledge_views),
            ),
        )
        self.register_outputs(
            {
                "promotedStreams": checks,
                "tasks": {source: task.name for source, task in self.tasks.items()},
                "alerts": [alert.name for alert in self.alerts],
                "integration": context.naming.alert_integration(),
            }
        )

    def _grant_account_privileges(self) -> snowflake.GrantPrivilegesToAccountRole:
        """What the owner needs beyond EXECUTE TASK: to resume alerts, to create the integration, serverless tasks.

        CREATE ALERT and CREATE NOTIFICATION INTEGRATION, access control requirements; CREATE TASK: a task
        without a warehouse needs EXECUTE MANAGED TASK. Only ACCOUNTADMIN holds CREATE INTEGRATION by
        default; SECURITYADMIN grants it, so the integration is made by the owner and not by ACCOUNTADMIN.
        """
        privileges = list(OWNER_GATE_ACCOUNT_PRIVILEGES)
        if self._args.config.warehouse.warehouse is None:
            privileges.append(OWNER_SERVERLESS_TASK_PRIVILEGE)
        owner = self.context.owner
        return snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-account-privileges",
            account_role_name=owner.role.name,
            privileges=privileges,
            on_account=True,
            opts=self.options(owner.role, acting_as=SystemRole.SECURITYADMIN),
        )

    def _create_table(self, shape: TableSpec) -> snowflake.Table:
        suffix = shape.name.lower().replace("_", "-")
        table = snowflake.Table(
            f"{self._base}-{suffix}",
            database=self.context.naming.database,
            schema=OPS_SCHEMA,
            name=shape.name,
            comment=shape.comment,
            columns=shape.column_args(),
            opts=self.options(self.context.schemas[OPS_SCHEMA], stateful=True),
        )
        if shape.primary_key:
            snowflake.TableConstraint(
                f"{self._base}-{suffix}-primary-key",
                name=Naming.primary_key(shape.name),
                type="PRIMARY KEY",
                table_id=self.context.naming.in_database(OPS_SCHEMA, shape.name),
                columns=list(shape.primary_key),
                opts=self.options(table),
            )
        return table

    def _tag_tables(self) -> None:
        """The metadata tag on every table the gate declares, as on every other table."""
        tag_objects(
            self,
            self._base,
            self.context.tags,
            "TABLE",
            [
                TaggedObject(self.context.naming.in_database(OPS_SCHEMA, name), OPS_TABLE_METADATA, (table,))
                for name, table in self.tables.items()
            ],
        )

    def _create_held_batches_view(self) -> snowflake.View:
        return snowflake.View(
            f"{self._base}-held-batches",
            database=self.context.naming.database,
            schema=OPS_SCHEMA,
            name=HELD_BATCHES,
            statement=held_batches_view(self._objects),
            copy_grants=True,
            comment="Streams whose latest batch the data-quality gate held, since when and what fails",
            opts=self.options(*self.tables.values()),
        )

    def _create_procedure(self, suffix: str, spec: ProcedureSpec) -> snowflake.ProcedurePython:
        return snowflake.ProcedurePython(
            f"{self._base}-{suffix}-procedure",
            database=self.context.naming.database,
            schema=OPS_SCHEMA,
            name=spec.name,
            arguments=[{"arg_name": name, "arg_data_type": kind} for name, kind in spec.arguments],
            return_type=spec.return_type,
            execute_as=spec.execute_as,
            handler=spec.handler,
            runtime_version=spec.runtime_version,
            snowpark_package=spec.snowpark_package,
            procedure_definition=spec.body,
            comment=f"Sophia AI data-quality gate: {spec.name}",
            opts=self.options(self.held_batches, *self.tables.values()),
        )

    def _create_task(self, source: str, procedure: snowflake.ProcedurePython) -> snowflake.Task:
        """Scheduled after the sync, runnable at once with EXECUTE TASK; a run times out when it settles."""
        config, owner = self._args.config, self.context.owner
        purpose = config.warehouse.warehouse
        compute: dict[str, object] = (
            {"user_task_managed_initial_warehouse_size": SERVERLESS_INITIAL_SIZE}
            if purpose is None
            else {"warehouse": self.context.warehouses[purpose].name}
        )
        waits = [procedure, owner.account_privileges, self.account_privileges, *self._args.owner_access]
        if purpose is not None:
            waits += [self.context.warehouses[purpose], owner.warehouse_usage[purpose]]
        return snowflake.Task(
            f"{self._base}-{source.lower()}-task",
            database=self.context.naming.database,
            schema=OPS_SCHEMA,
            name=Naming.quality_gate_task(source),
            schedule=Schedule.parse(config.schedule).task_args(),
            sql_statement=gate_task_statement(self._objects, source),
            # The new-failures alert reads results this old: by then the run has committed or rolled back.
            user_task_timeout_ms=config.settle_minutes * 60_000,
            allow_overlapping_execution="false",
            started=True,
            comment=f"Runs the data-quality gate of {source} after its Airbyte sync",
            **compute,
            opts=self.options(*waits),
        )
