"""The webhook receiver in the stack: its role may start the gate tasks, and which connection starts which."""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from models.access_matrix import GATE_OPERATOR_PRIVILEGES
from models.naming import OPS_SCHEMA


@dataclass(frozen=True)
class ReceiverTriggersArgs:
    """The receiver's role, the database, and each source's gate task and Airbyte connection."""

    role: snowflake.AccountRole
    database: snowflake.Database
    # By upper-case source; each is `Naming.quality_gate_task(source)` in `OPS_SCHEMA`.
    gate_tasks: Mapping[str, pulumi.Resource]
    # By upper-case source; a connection's id is its Airbyte connection id (the dynamic provider's create).
    connections: Mapping[str, pulumi.CustomResource]


class ReceiverTriggers(PlatformComponent):
    """SECURITYADMIN grants the role USAGE on the database and the gates' schema, OPERATE on each gate task.

    `triggers` maps each connection id to its gate task: the stack's `promotion_triggers` output, which
    `sophia receiver serve` reads, so the pairs are never typed twice.
    """

    # The type token before the receiver took its word in every layer (sophia:receiver:ReceiverTriggers now).
    renamed_from = "sophia:promotion:PromotionTriggers"

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: ReceiverTriggersArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        unconnected = sorted(set(args.gate_tasks) - set(args.connections))
        if unconnected:
            raise ValueError(
                f"gate tasks of sources {unconnected} have no Airbyte connection to trigger them"
            )
        super().__init__(name, context, opts)
        self._args = args
        ops, naming = OPS_SCHEMA, context.naming
        self.task_names = {
            source: naming.in_database_unquoted(ops, naming.quality_gate_task(source))
            for source in sorted(args.gate_tasks)
        }
        self.grants: list[snowflake.GrantPrivilegesToAccountRole] = []
        if args.gate_tasks:
            self.grants += [self._grant_on_database(), self._grant_on_schema(ops)]
            self.grants += [
                self._grant_on_task(source, task) for source, task in sorted(args.gate_tasks.items())
            ]
        connection_ids = {source: args.connections[source].id for source in self.task_names}
        self.triggers = pulumi.Output.all(**connection_ids).apply(
            lambda ids: {ids[source]: task for source, task in self.task_names.items()}
        )
        self.register_outputs({"triggers": self.triggers})

    def _grant(
        self, suffix: str, privileges: tuple[str, ...], depends_on: pulumi.Resource, **on: object
    ) -> snowflake.GrantPrivilegesToAccountRole:
        return snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-{suffix}",
            account_role_name=self._args.role.name,
            privileges=list(privileges),
            # Every schema has managed access: only its owner or a holder of MANAGE GRANTS grants on what it
            # holds, and SECURITYADMIN holds MANAGE GRANTS (Snowflake, "Creating managed access schemas").
            opts=self.options(self._args.role, depends_on, acting_as=SystemRole.SECURITYADMIN),
            **on,
        )

    def _grant_on_database(self) -> snowflake.GrantPrivilegesToAccountRole:
        database = self._args.database
        return self._grant(
            "database-usage",
            GATE_OPERATOR_PRIVILEGES.database,
            database,
            on_account_object={"object_type": "DATABASE", "object_name": database.name},
        )

    def _grant_on_schema(self, schema: str) -> snowflake.GrantPrivilegesToAccountRole:
        return self._grant(
            f"{schema.lower().replace('_', '-')}-usage",
            GATE_OPERATOR_PRIVILEGES.schema,
            self.context.schemas[schema],
            on_schema={"schema_name": self.context.naming.in_database(schema)},
        )

    def _grant_on_task(self, source: str, task: pulumi.Resource) -> snowflake.GrantPrivilegesToAccountRole:
        naming = self.context.naming
        return self._grant(
            f"operate-{source.lower()}",
            GATE_OPERATOR_PRIVILEGES.task,
            task,
            on_schema_object={
                "object_type": "TASK",
                "object_name": naming.in_database(OPS_SCHEMA, naming.quality_gate_task(source)),
            },
        )
