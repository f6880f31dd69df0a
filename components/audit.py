"""The audit trail: views over ACCOUNT_USAGE limited to the stack, an auditor role that only reads them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_snowflake as snowflake

from catalog.security import AUDIT_VIEWS, AuditScope, audit_view_statements, event_table, pii_columns
from catalog.tables import FoundationalCatalog
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from components.snowflake_database_roles import grant_snowflake_database_role
from components.tagging import TaggedObject, tag_objects
from models.access_matrix import AUDITOR_WAREHOUSE, SnowflakeDatabaseRole
from models.naming import OPS_SCHEMA
from models.security import LATENCY, VIEWER_ROLE
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency

# The auditor queries on the smallest analytical warehouse; it reads views, nothing heavier.
# User names, client IPs and query ids: who did what, not what the data says.
AUDIT_METADATA = SophiaMetadata(
    entity_type="audit",
    data_source="snowflake",
    update_frequency=UpdateFrequency.HOURLY,
    pii_level=PiiLevel.LOW,
    vector_index=False,
)


@dataclass(frozen=True)
class AuditArgs:
    """What the views are limited to and read, the database, and the viewer roles the owner already holds."""

    scope: AuditScope
    catalog: FoundationalCatalog
    database: snowflake.Database
    # Tables of the stack a view reads, such as the gate's decisions.
    reads: Sequence[pulumi.Resource] = ()
    # SNOWFLAKE database roles the owner already holds through another component, by name: one grant each,
    # since two resources managing one grant would revoke it when either is deleted.
    held: Mapping[str, pulumi.Resource] = field(default_factory=dict)


class AuditTrail(PlatformComponent):
    """The owner's SNOWFLAKE viewer roles, the audit views it creates, and the auditor's read-only grants.

    A view runs with its owner's privileges (Snowflake docs, "Overview of views", access control), so the
    owner role holds the SNOWFLAKE database roles the views need and the auditor holds SELECT on the views
    alone: it sees the stack's slice of ACCOUNT_USAGE, never the rest of the account.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: AuditArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._args, self._naming = args, context.naming
        self._ops_schema = context.schemas[OPS_SCHEMA]
        self.viewer_grants = self._grant_viewer_roles()
        statements = audit_view_statements(args.scope, pii_columns(args.catalog, self._naming))
        self.views = {view: self._create_view(view, statement) for view, statement in statements.items()}
        tag_objects(
            self,
            name,
            context.tags,
            "VIEW",
            [
                TaggedObject(self._naming.in_database(OPS_SCHEMA, view), AUDIT_METADATA, (resource,))
                for view, resource in self.views.items()
            ],
        )
        self.role = snowflake.AccountRole(
            f"{name}-auditor",
            name=self._naming.auditor_role(),
            comment="Sophia AI auditor: reads the audit views in SOPHIA_OPS and nothing else",
            opts=self.options(acting_as=SystemRole.USERADMIN),
        )
        self.grants = self._grant_auditor()
        self.event_table = self._create_event_table()
        self.register_outputs({"auditor_role": self.role.name, "views": sorted(self.views)})

    def _grant_viewer_roles(self) -> list[snowflake.GrantDatabaseRole]:
        """GOVERNANCE_VIEWER and SECURITY_VIEWER to the owner, which creates the views; SECURITYADMIN grants.

        Granting a SNOWFLAKE database role needs MANAGE GRANTS, which SECURITYADMIN holds ("SNOWFLAKE
        database roles", enabling other roles).
        """
        needed = sorted({VIEWER_ROLE[view] for sources, _ in AUDIT_VIEWS.values() for view in sources})
        return [self._args.held[viewer] for viewer in needed if viewer in self._args.held] + [
            grant_snowflake_database_role(
                self,
                f"{self._base}-{viewer.lower().replace('_', '-')}-to-owner",
                SnowflakeDatabaseRole(viewer),
                self.context.owner.role,
                self.context.providers,
            )
            for viewer in needed
            if viewer not in self._args.held
        ]

    def _create_view(self, view: str, statement: str) -> snowflake.View:
        sources, _ = AUDIT_VIEWS[view]
        latency = "; ".join(f"{source.value} latency {LATENCY[source]}" for source in sources) or "read live"
        return snowflake.View(
            f"{self._base}-{view.lower().replace('_', '-')}",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=view,
            statement=statement,
            # Secure: the auditor sees rows, not the filter that limits them (CREATE VIEW, SECURE).
            is_secure="true",
            copy_grants=True,
            comment=f"Audit trail of the stack ({latency})",
            opts=self.options(self._ops_schema, *self.viewer_grants, *self._args.reads),
        )

    def _create_event_table(self) -> snowflake.Execute:
        """The database's event table: where its procedures and tasks log at the Database's levels.

        pulumi-snowflake declares no event table, so the owner creates it with an Execute; SYSADMIN, which
        owns the database, points the database's EVENT_TABLE parameter at it (ALTER DATABASE ... SET).
        """
        args = self._args
        table, parameter = event_table(self._naming)
        created = snowflake.Execute(
            f"{self._base}-event-table",
            execute=table.create,
            revert=table.drop,
            query=table.show,
            opts=self.options(self._ops_schema, delete_before_replace=True),
        )
        return snowflake.Execute(
            f"{self._base}-database-event-table",
            execute=parameter.create,
            revert=parameter.drop,
            query=parameter.show,
            opts=self.options(
                args.database, created, acting_as=SystemRole.SYSADMIN, delete_before_replace=True
            ),
        )

    def _grant(self, suffix: str, privileges: Sequence[str], **target: object) -> pulumi.Resource:
        return snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-auditor-{suffix}",
            account_role_name=self.role.name,
            privileges=list(privileges),
            **target,
            opts=self.options(self.role, acting_as=SystemRole.SECURITYADMIN),
        )

    def _grant_auditor(self) -> list[pulumi.Resource]:
        """USAGE on the database, SOPHIA_OPS and one warehouse; SELECT on each audit view; up to SYSADMIN."""
        args = self._args
        grants = [
            self._grant(
                "database-usage",
                ["USAGE"],
                on_account_object={"object_type": "DATABASE", "object_name": args.database.name},
            ),
            self._grant(
                "ops-usage", ["USAGE"], on_schema={"schema_name": self._naming.in_database(OPS_SCHEMA)}
            ),
            self._grant(
                f"uses-{AUDITOR_WAREHOUSE.value.lower()}",
                ["USAGE"],
                on_account_object={
                    "object_type": "WAREHOUSE",
                    "object_name": self.context.warehouses[AUDITOR_WAREHOUSE].name,
                },
            ),
        ]
        for view, resource in self.views.items():
            grants.append(
                snowflake.GrantPrivilegesToAccountRole(
                    f"{self._base}-auditor-reads-{view.lower().replace('_', '-')}",
                    account_role_name=self.role.name,
                    privileges=["SELECT"],
                    on_schema_object={
                        "object_type": "VIEW",
                        "object_name": self._naming.in_database(OPS_SCHEMA, view),
                    },
                    opts=self.options(self.role, resource, acting_as=SystemRole.SECURITYADMIN),
                )
            )
        grants.append(
            snowflake.GrantAccountRole(
                f"{self._base}-auditor-in-sysadmin",
                role_name=self.role.name,
                parent_role_name=SystemRole.SYSADMIN.value,
                opts=self.options(acting_as=SystemRole.SECURITYADMIN),
            )
        )
        return grants
