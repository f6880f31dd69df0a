"""Tags and PII masking: every managed object self-describes, and high or sensitive columns are masked."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pulumi
import pulumi_snowflake as snowflake

from catalog.masking import MASKING_BODIES, masking_policy_body
from components.context import PlatformComponent, PlatformContext
from components.providers import SystemRole
from components.tagging import TaggedObject, Tags, tag_objects
from models.access_matrix import WAREHOUSE_OWNER_TAG_PRIVILEGES
from models.enums import WarehousePurpose
from models.naming import METADATA_TAG, PII_TAG, TAG_SCHEMA
from models.schema_layout import SchemaKind, SchemaSpec
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency

# What each kind of schema holds, for its metadata tag; RAW and curated SaaS data may carry PII.
SCHEMA_METADATA = {
    SchemaKind.FOUNDATIONAL: (UpdateFrequency.HOURLY, PiiLevel.HIGH, True),
    SchemaKind.SEMANTIC: (UpdateFrequency.HOURLY, PiiLevel.HIGH, True),
    SchemaKind.INSIGHTS: (UpdateFrequency.DAILY, PiiLevel.LOW, False),
    SchemaKind.ML: (UpdateFrequency.DAILY, PiiLevel.LOW, False),
    SchemaKind.OPS: (UpdateFrequency.HOURLY, PiiLevel.NONE, False),
    SchemaKind.RAW: (UpdateFrequency.HOURLY, PiiLevel.HIGH, False),
    SchemaKind.CURATED: (UpdateFrequency.HOURLY, PiiLevel.HIGH, False),
    SchemaKind.AIRBYTE_INTERNAL: (UpdateFrequency.HOURLY, PiiLevel.HIGH, False),
}

WAREHOUSE_METADATA = SophiaMetadata(
    entity_type="warehouse",
    data_source="sophia",
    update_frequency=UpdateFrequency.REALTIME,
    pii_level=PiiLevel.NONE,
    vector_index=False,
)


@dataclass(frozen=True)
class GovernanceArgs:
    """The schemas to tag (the stack's warehouses are tagged too) and who may see PII unmasked."""

    layout: Sequence[SchemaSpec]
    pii_allowed_roles: Sequence[str]


class Governance(PlatformComponent):
    """The SOPHIA_AI_METADATA and PII_LEVEL tags, their masking policies, and the tags on schemas and warehouses.

    The tags must exist before anything is tagged, and they need their schema, whose owner's provider needs a
    warehouse: so schemas and warehouses come first, and this component tags the ones it is handed. Every
    other component tags its own objects as its own children, with `tags` and `tag_objects`. The owner role
    creates the tags and policies in SOPHIA_OPS and sets them on the objects it owns; SYSADMIN sets the
    metadata tag on the warehouses it owns, with APPLY on that one tag.
    """

    def __init__(
        self,
        name: str,
        context: PlatformContext,
        args: GovernanceArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(name, context, opts)
        self._naming = naming = context.naming
        owner, schemas = context.owner, context.schemas
        ops_schema = schemas[TAG_SCHEMA]
        self.masking_policies = [
            self._create_masking_policy(data_type, args.pii_allowed_roles, ops_schema)
            for data_type in MASKING_BODIES
        ]
        metadata_tag = self._create_tag("metadata", METADATA_TAG, None, [ops_schema])
        # Attaching masking policies to a tag needs the owner's APPLY MASKING POLICY on the account.
        pii_tag = self._create_tag(
            "pii",
            PII_TAG,
            [level.value for level in PiiLevel],
            [ops_schema, *self.masking_policies, owner.account_privileges],
        )
        # The owner owns both the tags and the objects it creates, so it needs no APPLY TAG
        # (object-tagging/work.md).
        self.tags = Tags(
            ids={tag: naming.in_database(TAG_SCHEMA, tag) for tag in (METADATA_TAG, PII_TAG)},
            resources={METADATA_TAG: metadata_tag, PII_TAG: pii_tag},
            provider=owner.provider,
        )
        tag_objects(
            self,
            name,
            self.tags,
            "SCHEMA",
            [
                TaggedObject(naming.in_database(spec.name), _schema_metadata(spec), (schemas[spec.name],))
                for spec in args.layout
            ],
        )
        self._tag_warehouses(context.warehouses)
        self.register_outputs(
            {"metadata_tag": self.tags.ids[METADATA_TAG], "pii_tag": self.tags.ids[PII_TAG]}
        )

    def _tag_warehouses(self, warehouses: Mapping[WarehousePurpose, snowflake.Warehouse]) -> None:
        """SYSADMIN owns the warehouses; APPLY on the tag plus OWNERSHIP of the object lets it set the tag.

        Reading the tag back (SYSTEM$GET_TAG) needs USAGE on SOPHIA_OPS, which SYSADMIN inherits from the
        owner role; SYSTEM$GET_TAG needs no warehouse, so the SYSADMIN provider has none.
        """
        apply = snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-metadata-apply-to-sysadmin",
            account_role_name=SystemRole.SYSADMIN.value,
            privileges=list(WAREHOUSE_OWNER_TAG_PRIVILEGES),
            on_schema_object={"object_type": "TAG", "object_name": self.tags.ids[METADATA_TAG]},
            opts=self.options(self.tags.resources[METADATA_TAG], acting_as=SystemRole.SECURITYADMIN),
        )
        objects = [
            TaggedObject(
                self._naming.quoted(self._naming.warehouse(purpose)), WAREHOUSE_METADATA, (warehouse,)
            )
            for purpose, warehouse in warehouses.items()
        ]
        as_sysadmin = replace(
            self.tags,
            provider=self.context.providers.for_role(SystemRole.SYSADMIN),
            privileges=(apply, self.context.owner.rollup),
        )
        tag_objects(self, self._base, as_sysadmin, "WAREHOUSE", objects)

    def _create_tag(
        self, suffix: str, tag: str, allowed_values: list[str] | None, depends_on: list
    ) -> snowflake.Tag:
        masking = (
            [self._naming.in_database(TAG_SCHEMA, self._naming.masking_policy(t)) for t in MASKING_BODIES]
            if tag == PII_TAG
            else None
        )
        return snowflake.Tag(
            f"{self._base}-{suffix}-tag",
            database=self._naming.database,
            schema=TAG_SCHEMA,
            name=tag,
            ordered_allowed_values=allowed_values,
            masking_policies=masking,
            comment=f"Sophia AI {tag}",
            opts=self.options(*depends_on),
        )

    def _create_masking_policy(
        self, data_type: str, allowed_roles: Sequence[str], ops_schema: snowflake.Schema
    ) -> snowflake.MaskingPolicy:
        """Tag-based masking needs one policy per data type; the catalog lists the types PII may have."""
        return snowflake.MaskingPolicy(
            f"{self._base}-mask-{data_type.lower()}",
            database=self._naming.database,
            schema=TAG_SCHEMA,
            name=self._naming.masking_policy(data_type),
            arguments=[{"name": "VAL", "type": data_type}],
            return_data_type=data_type,
            body=masking_policy_body(
                data_type, self._naming.in_database_unquoted(TAG_SCHEMA, PII_TAG), allowed_roles
            ),
            comment=f"Masks {data_type} values tagged PII_LEVEL high or sensitive",
            opts=self.options(ops_schema),
        )


def _schema_metadata(spec: SchemaSpec) -> SophiaMetadata:
    frequency, pii_level, vector_index = SCHEMA_METADATA[spec.kind]
    return SophiaMetadata(
        entity_type=spec.kind.value,
        data_source=(spec.source or "sophia").lower(),
        update_frequency=frequency,
        pii_level=pii_level,
        vector_index=vector_index,
    )
