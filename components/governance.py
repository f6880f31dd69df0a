"""Tags and PII masking: every managed object self-describes, and high or sensitive columns are masked."""

import pulumi
import pulumi_snowflake as snowflake

from catalog.masking import MASKING_BODIES, masking_policy_body
from components.providers import SnowflakeProviders, SystemRole
from models.enums import WarehousePurpose
from models.naming import Naming
from models.schema_layout import SchemaKind, SchemaSpec
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency

METADATA_TAG = "SOPHIA_AI_METADATA"
PII_TAG = "PII_LEVEL"
TAG_SCHEMA = "SOPHIA_OPS"


# What each kind of schema holds, for its metadata tag; RAW and curated SaaS data may carry PII.
SCHEMA_METADATA = {
    SchemaKind.FOUNDATIONAL: (UpdateFrequency.HOURLY, PiiLevel.HIGH, True),
    SchemaKind.SEMANTIC: (UpdateFrequency.HOURLY, PiiLevel.HIGH, True),
    SchemaKind.INSIGHTS: (UpdateFrequency.DAILY, PiiLevel.LOW, False),
    SchemaKind.ML: (UpdateFrequency.DAILY, PiiLevel.LOW, False),
    SchemaKind.OPS: (UpdateFrequency.HOURLY, PiiLevel.NONE, False),
    SchemaKind.RAW: (UpdateFrequency.HOURLY, PiiLevel.HIGH, False),
    SchemaKind.CURATED: (UpdateFrequency.HOURLY, PiiLevel.HIGH, False),
}


class Governance(pulumi.ComponentResource):
    """The SOPHIA_AI_METADATA and PII_LEVEL tags, their masking policies, and the tags on every object."""

    def __init__(
        self,
        name: str,
        naming: Naming,
        layout: list[SchemaSpec],
        schemas: dict[str, snowflake.Schema],
        warehouses: dict[WarehousePurpose, snowflake.Warehouse],
        pii_allowed_roles: list[str],
        providers: SnowflakeProviders,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("sophia:governance:Governance", name, None, opts)
        self._base = name
        self._naming = naming
        # Tags and policies live in SOPHIA_OPS, owned by the database's owner lineage.
        self._sysadmin = providers.for_role(SystemRole.SYSADMIN)
        ops_schema = schemas[TAG_SCHEMA]
        self.masking_policies = [
            self._create_masking_policy(data_type, pii_allowed_roles, ops_schema)
            for data_type in MASKING_BODIES
        ]
        self.metadata_tag = self._create_tag("metadata", METADATA_TAG, None, [ops_schema])
        self.pii_tag = self._create_tag("pii", PII_TAG, [level.value for level in PiiLevel], [ops_schema])
        for spec in layout:
            self.tag_object(
                f"schema-{spec.name.lower()}",
                "SCHEMA",
                naming.in_database(spec.name),
                _schema_metadata(spec),
                [schemas[spec.name]],
            )
        for purpose, warehouse in warehouses.items():
            metadata = SophiaMetadata(
                entity_type="warehouse",
                data_source="sophia",
                update_frequency=UpdateFrequency.REALTIME,
                pii_level=PiiLevel.NONE,
                vector_index=False,
            )
            self.tag_object(
                f"warehouse-{purpose.value.lower()}",
                "WAREHOUSE",
                naming.quoted(naming.warehouse(purpose)),
                metadata,
                [warehouse],
            )
        self.register_outputs({"metadata_tag": self.tag_id(METADATA_TAG), "pii_tag": self.tag_id(PII_TAG)})

    def tag_id(self, tag: str) -> str:
        """`"DB"."SOPHIA_OPS"."TAG"`, known at plan time, as TagAssociation's tag_id wants it."""
        return self._naming.in_database(TAG_SCHEMA, tag)

    def tag_object(
        self,
        suffix: str,
        object_type: str,
        identifier: str,
        metadata: SophiaMetadata,
        depends_on: list[pulumi.Resource],
        pii_level: PiiLevel | None = None,
    ) -> None:
        """Puts the metadata tag on one object and, for PII columns, the PII_LEVEL tag that masks them."""
        self._associate(f"{suffix}-metadata", object_type, identifier, METADATA_TAG,
                        metadata.to_tag_value(identifier), [self.metadata_tag, *depends_on])  # fmt: skip
        if pii_level is not None:
            self._associate(
                f"{suffix}-pii",
                object_type,
                identifier,
                PII_TAG,
                pii_level.value,
                [self.pii_tag, *depends_on],
            )

    def _associate(
        self, suffix: str, object_type: str, identifier: str, tag: str, value: str, depends_on: list
    ) -> snowflake.TagAssociation:
        return snowflake.TagAssociation(
            f"{self._base}-{suffix}",
            object_type=object_type,
            object_identifiers=[identifier],
            tag_id=self.tag_id(tag),
            tag_value=value,
            opts=pulumi.ResourceOptions(parent=self, provider=self._sysadmin, depends_on=depends_on),
        )

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
            allowed_values=allowed_values,
            masking_policies=masking,
            comment=f"Sophia AI {tag}",
            opts=pulumi.ResourceOptions(
                parent=self,
                provider=self._sysadmin,
                depends_on=[*depends_on, *(self.masking_policies if masking else [])],
            ),
        )

    def _create_masking_policy(
        self, data_type: str, allowed_roles: list[str], ops_schema: snowflake.Schema
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
            opts=pulumi.ResourceOptions(parent=self, provider=self._sysadmin, depends_on=[ops_schema]),
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
