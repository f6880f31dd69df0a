"""Row-level security from the stack config: a mapping table, a row access policy per restriction, attached."""

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pulumi
import pulumi_snowflake as snowflake

from catalog.quality_gate.objects import PromotedStream
from catalog.security import MAPPING_SPEC, MAPPING_TABLE, POLICY_ARGUMENT, attachment, row_access_body
from catalog.tables import FoundationalCatalog
from components.context import PlatformComponent, PlatformContext
from components.tagging import TaggedObject, tag_objects
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA, Naming
from models.quality_gate import snowflake_column
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency
from stack.security import RowAccessRestriction

MAPPING_METADATA = SophiaMetadata(
    entity_type="row_access",
    data_source="sophia",
    update_frequency=UpdateFrequency.DAILY,
    pii_level=PiiLevel.NONE,
    vector_index=False,
)


@dataclass(frozen=True)
class RowAccessArgs:
    """The declared restrictions and the knowledge tables they protect."""

    restrictions: Mapping[str, RowAccessRestriction]
    catalog: FoundationalCatalog
    tables: Mapping[str, snowflake.Table]


def declared_restrictions(naming: Naming, restrictions: Mapping[str, RowAccessRestriction]) -> dict:
    """Each policy's protected tables, curated stream tables and column, as inputs: what the policy pack reads."""
    return {
        naming.row_access_policy(name): {
            "tables": [naming.in_database_unquoted(KNOWLEDGE_SCHEMA, t) for t in r.tables],
            "column": r.column,
            # Only where declared: a knowledge-table restriction reads as it did before streams existed.
            **({"streams": [_curated_table(naming, stream) for stream in r.streams]} if r.streams else {}),
        }
        for name, r in restrictions.items()
    }


def _curated_table(naming: Naming, stream: str) -> str:
    source, name = stream.split(".", 1)
    return naming.in_database_unquoted(Naming.curated_schema(source), snowflake_column(name))


def guarded_streams(
    naming: Naming,
    restrictions: Mapping[str, RowAccessRestriction],
    source: str,
    streams: list[PromotedStream],
) -> list[PromotedStream]:
    """A source's promoted streams, each with the row access policy the gate attaches to its curated table."""
    policies = {
        _curated_table(naming, stream): (
            naming.in_database_unquoted(OPS_SCHEMA, naming.row_access_policy(name)),
            r.column,
        )
        for name, r in restrictions.items()
        for stream in r.streams
    }
    curated = Naming.curated_schema(source)
    return [
        replace(s, row_access=policies.get(naming.in_database_unquoted(curated, s.table))) for s in streams
    ]


class RowAccess(PlatformComponent):
    """The owner creates the mapping table and the policies in SOPHIA_OPS and attaches them to its own tables.

    Attaching needs OWNERSHIP of the table and APPLY on the policy (ALTER TABLE, access control
    requirements); the owner holds both, as creator. pulumi-snowflake's Table cannot attach a row access
    policy (terraform-provider-snowflake #1272), so an Execute does, with the DROP as its revert.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: RowAccessArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        declared = declared_restrictions(context.naming, args.restrictions)
        super().__init__(name, context, opts, {"restrictions": declared})
        self._args, self._naming = args, context.naming
        self.mapping = self._create_mapping_table()
        self.policies = {
            policy: self._create_policy(policy, restriction)
            for policy, restriction in args.restrictions.items()
        }
        self.attachments = [
            self._attach(policy, table, restriction.column)
            for policy, restriction in args.restrictions.items()
            for table in restriction.tables
        ]
        self.register_outputs({"restrictions": declared, "mapping": MAPPING_TABLE})

    def _create_mapping_table(self) -> snowflake.Table:
        table = snowflake.Table(
            f"{self._base}-mapping",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=MAPPING_SPEC.name,
            comment=MAPPING_SPEC.comment,
            columns=MAPPING_SPEC.column_args(),
            opts=self.options(self.context.schemas[OPS_SCHEMA], stateful=True),
        )
        tag_objects(
            self,
            self._base,
            self.context.tags,
            "TABLE",
            [
                TaggedObject(
                    self._naming.in_database(OPS_SCHEMA, MAPPING_SPEC.name), MAPPING_METADATA, (table,)
                )
            ],
        )
        return table

    def _create_policy(self, restriction: str, config: RowAccessRestriction) -> snowflake.RowAccessPolicy:
        args = self._args
        policy = self._naming.row_access_policy(restriction)
        # A stream-only policy binds VARCHAR: the curated column's type is RAW's, unknown until Airbyte's sync.
        column_type = (
            args.catalog.table(config.tables[0]).column(config.column).type if config.tables else "VARCHAR"
        )
        return snowflake.RowAccessPolicy(
            f"{self._base}-{restriction.lower().replace('_', '-')}",
            database=self._naming.database,
            schema=OPS_SCHEMA,
            name=policy,
            arguments=[{"name": POLICY_ARGUMENT, "type": str(column_type)}],
            body=row_access_body(
                self._naming.in_database_unquoted(OPS_SCHEMA, MAPPING_TABLE),
                policy,
                [self._naming.functional_role(role) for role in config.see_all_roles],
            ),
            comment=f"Rows of {', '.join([*config.tables, *config.streams])} by {config.column}, per {MAPPING_TABLE}",
            opts=self.options(self.mapping),
        )

    def _attach(self, restriction: str, table: str, column: str) -> snowflake.Execute:
        args = self._args
        statements = attachment(self._naming, table, self._naming.row_access_policy(restriction), column)
        # A changed attachment drops the old one first: a table holds one row access policy at a time.
        return snowflake.Execute(
            f"{self._base}-{table.lower().replace('_', '-')}-attachment",
            execute=statements.create,
            revert=statements.drop,
            query=statements.show,
            opts=self.options(self.policies[restriction], args.tables[table], delete_before_replace=True),
        )
