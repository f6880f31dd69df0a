"""Tags what Airbyte and the gate create after deploy: a task per source sets the metadata and PII_LEVEL tags."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_snowflake as snowflake

from catalog.pii_tagging import TaggedStream, tagging_task_body
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from models.access_matrix import OWNER_TAGGING_ACCOUNT_PRIVILEGE
from models.enums import WarehousePurpose
from models.naming import OPS_SCHEMA, Naming
from models.schedules import Schedule
from stack.airbyte.config import AirbyteConfig, SyncMode

# As the gate's serverless tasks: a run is a few metadata lookups and ALTERs, so the smallest size.
SERVERLESS_INITIAL_SIZE = "XSMALL"


@dataclass(frozen=True)
class PiiTaggingArgs:
    """The streams of each source, the gate's schedule and compute it runs on, and what it waits for."""

    streams: Mapping[str, Sequence[TaggedStream]]
    schedule: str
    # The gate's warehouse, or None for serverless (the gate's account grant then holds EXECUTE MANAGED TASK).
    warehouse: WarehousePurpose | None
    # The owner's privileges the tasks run with: the gate's account grant, the tags, the owner's access.
    waits: Sequence[pulumi.Resource]


def tagged_streams(airbyte: AirbyteConfig) -> dict[str, list[TaggedStream]]:
    """Every stream of every source: RAW always, curated when it is deduplicated (promoted by the gate)."""
    return {
        source: [
            TaggedStream.from_config(source, stream, stream.sync_mode is SyncMode.INCREMENTAL_DEDUPED_HISTORY)
            for stream in spec.streams
        ]
        for source, spec in airbyte.sources.items()
    }


def declared_pii_columns(streams: Mapping[str, Sequence[TaggedStream]]) -> dict[str, list[dict]]:
    """Each source's streams with the tables and PII columns its task tags: what the policy pack reads."""
    return {
        source: [
            {
                "stream": stream.table,
                "schemas": stream.schemas(),
                "piiColumns": {column: level.value for column, level in sorted(stream.pii_columns.items())},
            }
            for stream in tagged
        ]
        for source, tagged in streams.items()
    }


class PiiTagging(PlatformComponent):
    """A task per source, owned by the owner role, tagging its RAW and curated tables on the gate's schedule.

    Tables that Airbyte or the gate create after deploy cannot be declared, so schema tags covered them
    only by inheritance and nothing tagged their PII columns; each run tags what exists by then.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: PiiTaggingArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        declared = declared_pii_columns(args.streams)
        super().__init__(name, context, opts, {"taggedStreams": declared})
        self._args, self._naming = args, context.naming
        self.account_privilege = self._grant_apply_tag()
        self.tasks = {source: self._create_task(source, streams) for source, streams in args.streams.items()}
        self.register_outputs(
            {"taggedStreams": declared, "tasks": {source: task.name for source, task in self.tasks.items()}}
        )

    def _grant_apply_tag(self) -> snowflake.GrantPrivilegesToAccountRole:
        """APPLY TAG on the account: RAW tables belong to Airbyte's role (see OWNER_TAGGING_ACCOUNT_PRIVILEGE)."""
        owner = self.context.owner
        return snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-account-privileges",
            account_role_name=owner.role.name,
            privileges=[OWNER_TAGGING_ACCOUNT_PRIVILEGE],
            on_account=True,
            opts=self.options(owner.role, acting_as=SystemRole.SECURITYADMIN),
        )

    def _create_task(self, source: str, streams: Sequence[TaggedStream]) -> snowflake.Task:
        args, owner, warehouses = self._args, self.context.owner, self.context.warehouses
        compute: dict[str, object] = (
            {"user_task_managed_initial_warehouse_size": SERVERLESS_INITIAL_SIZE}
            if args.warehouse is None
            else {"warehouse": warehouses[args.warehouse].name}
        )
        waits = [self.account_privilege, owner.account_privileges, *args.waits]
        if args.warehouse is not None:
            waits += [warehouses[args.warehouse], owner.warehouse_usage[args.warehouse]]
        return snowflake.Task(
            f"{self._base}-{source.lower()}-task",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=Naming.pii_tagging_task(source),
            schedule=Schedule.parse(args.schedule).task_args(),
            sql_statement=tagging_task_body(self._naming, streams),
            allow_overlapping_execution="false",
            started=True,
            comment=f"Sets the metadata and PII_LEVEL tags on the tables of {source} once they exist",
            **compute,
            opts=self.options(*waits),
        )
