"""Airbyte ingestion: one Snowflake destination, a source and a connection per SaaS system, notifications."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.airbyte.payloads import (
    api_credentials,
    connection_configuration,
    notifications_configuration,
    notifications_secret_configuration,
    snowflake_destination_configuration,
    snowflake_destination_secret_configuration,
    source_configuration,
    source_secret_configuration,
)
from components.airbyte.resources import (
    AirbyteApi,
    AirbyteConnection,
    AirbyteDestination,
    AirbyteSource,
    AirbyteWorkspaceNotifications,
)
from components.context import PlatformComponent, PlatformContext
from stack.airbyte.config import AirbyteConfig
from stack.config import SnowflakeAccountConfig


@dataclass(frozen=True)
class AirbyteIngestionArgs:
    """Airbyte's settings, the account to land in, and the Snowflake side it signs in as and waits for."""

    config: AirbyteConfig
    account: SnowflakeAccountConfig
    etl_role: pulumi.Input[str]
    etl_warehouse: pulumi.Input[str]
    airbyte_user: pulumi.CustomResource
    # What the ETL role may do, and the Airbyte user's holding of that role.
    etl_grants: Sequence[pulumi.Resource]


class AirbyteIngestion(PlatformComponent):
    """Lands every source in its own RAW schema as the Airbyte service user, with the ETL role and warehouse.

    Its children are made by the Airbyte dynamic provider (`provider=None`), never a Snowflake one.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: AirbyteIngestionArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._config = args.config
        self._naming = naming = context.naming
        self._api = AirbyteApi(
            args.config.workspace_id, args.config.api_url, api_credentials(args.config.api_credentials)
        )
        self.destination = self._create_destination(args)
        self.connections = {
            source: self._create_connection(
                source, [context.schemas[naming.raw_schema(source)], *args.etl_grants]
            )
            for source in args.config.sources
        }
        self.notifications = self._create_notifications()
        self.register_outputs({"connections": sorted(self.connections)})

    def _create_destination(self, args: AirbyteIngestionArgs) -> AirbyteDestination:
        configuration = pulumi.Output.all(
            role=args.etl_role, warehouse=args.etl_warehouse, user=args.airbyte_user.name
        ).apply(
            lambda names: snowflake_destination_configuration(
                database=self._naming.database,
                default_schema=self._naming.raw_schema(sorted(self._config.sources)[0]),
                internal_schema=self._naming.airbyte_internal_schema(),
                role=names["role"],
                warehouse=names["warehouse"],
                username=names["user"],
            )
        )
        host = self._naming.account_host(args.account.organization_name, args.account.account_name)
        return AirbyteDestination(
            f"{self._base}-destination",
            api=self._api,
            configuration=configuration,
            secret_configuration=snowflake_destination_secret_configuration(self._config.destination, host),
            airbyte_name=self._naming.airbyte_destination(),
            opts=self.options(args.airbyte_user, *args.etl_grants, provider=None),
        )

    def _create_connection(self, source: str, depends_on: list[pulumi.Resource]) -> AirbyteConnection:
        source_config = self._config.sources[source]
        created = AirbyteSource(
            f"{self._base}-source-{source.lower()}",
            api=self._api,
            configuration=source_configuration(source_config),
            secret_configuration=source_secret_configuration(source_config),
            airbyte_name=self._naming.airbyte_source(source),
            opts=self.options(provider=None),
        )
        return AirbyteConnection(
            f"{self._base}-connection-{source.lower()}",
            api=self._api,
            source_id=created.source_id,
            destination_id=self.destination.destination_id,
            configuration=connection_configuration(self._config, source),
            airbyte_name=self._naming.airbyte_connection(source),
            opts=self.options(*depends_on, provider=None),
        )

    def _create_notifications(self) -> AirbyteWorkspaceNotifications:
        return AirbyteWorkspaceNotifications(
            f"{self._base}-notifications",
            api=self._api,
            configuration=notifications_configuration(self._config.notifications),
            secret_configuration=notifications_secret_configuration(self._config.notifications),
            opts=self.options(provider=None),
        )
