"""Tags and PII masking: every managed object self-describes, and high or sensitive columns are masked."""

import hashlib
from dataclasses import dataclass, field

import pulumi
import pulumi_snowflake as snowflake

from catalog.masking import MASKING_BODIES, masking_policy_body
from components.owner import DatabaseOwner
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
class TaggedObject:
    """One object to tag: its quoted identifier, its metadata, its PII level if it is a PII column."""

    identifier: str
    metadata: SophiaMetadata
    depends_on: tuple[pulumi.Resource, ...]
    pii_level: PiiLevel | None = None


@dataclass
class _Association:
    """The objects of one type that carry one tag with one value: one TagAssociation, whose id that is."""

    label: str
    identifiers: list[str] = field(default_factory=list)
    depends_on: list[pulumi.Resource] = field(default_factory=list)


class Governance(pulumi.ComponentResource):
    """The SOPHIA_AI_METADATA and PII_LEVEL tags, their masking policies, and the tags on every object.

    The owner role creates the tags and policies in SOPHIA_OPS and sets them on the objects it owns;
    SYSADMIN sets the metadata tag on the warehouses it owns, with APPLY on that one tag.
    """

    def __init__(
        self,
        name: str,
        naming: Naming,
        layout: list[SchemaSpec],
        schemas: dict[str, snowflake.Schema],
        warehouses: dict[WarehousePurpose, snowflake.Warehouse],
        pii_allowed_roles: list[str],
        owner: DatabaseOwner,
        providers: SnowflakeProviders,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("sophia:governance:Governance", name, None, opts)
        self._base = name
        self._naming = naming
        self._owner = owner
        ops_schema = schemas[TAG_SCHEMA]
        self.masking_policies = [
            self._create_masking_policy(data_type, pii_allowed_roles, ops_schema)
            for data_type in MASKING_BODIES
        ]
        self.metadata_tag = self._create_tag("metadata", METADATA_TAG, None, [ops_schema])
        # Attaching masking policies to a tag needs the owner's APPLY MASKING POLICY on the account.
        self.pii_tag = self._create_tag(
            "pii",
            PII_TAG,
            [level.value for level in PiiLevel],
            [ops_schema, *self.masking_policies, owner.account_privileges],
        )
        self.tag_objects(
            "SCHEMA",
            [
                TaggedObject(naming.in_database(spec.name), _schema_metadata(spec), (schemas[spec.name],))
                for spec in layout
            ],
        )
        self._tag_warehouses(warehouses, providers)
        self.register_outputs({"metadata_tag": self.tag_id(METADATA_TAG), "pii_tag": self.tag_id(PII_TAG)})

    def tag_id(self, tag: str) -> str:
        """`"DB"."SOPHIA_OPS"."TAG"`, known at plan time, as TagAssociation's tag_id wants it."""
        return self._naming.in_database(TAG_SCHEMA, tag)

    def tag_objects(self, object_type: str, objects: list[TaggedObject]) -> None:
        """Sets the metadata tag and, on PII columns, PII_LEVEL on objects the owner role owns.

        Call it once per object type, so objects sharing a value share one association. The owner owns
        both the tags and the objects, so it needs no APPLY TAG (object-tagging/work.md).
        """
        self._associate_all(object_type, objects, self._owner.provider, [])

    def _tag_warehouses(
        self, warehouses: dict[WarehousePurpose, snowflake.Warehouse], providers: SnowflakeProviders
    ) -> None:
        """SYSADMIN owns the warehouses; APPLY on the tag plus OWNERSHIP of the object lets it set the tag.

        Reading the tag back (SYSTEM$GET_TAG) needs USAGE on SOPHIA_OPS, which SYSADMIN inherits from the
        owner role; SYSTEM$GET_TAG needs no warehouse, so the SYSADMIN provider has none.
        """
        apply = snowflake.GrantPrivilegesToAccountRole(
            f"{self._base}-metadata-apply-to-sysadmin",
            account_role_name=SystemRole.SYSADMIN.value,
            privileges=["APPLY"],
            on_schema_object={"object_type": "TAG", "object_name": self.tag_id(METADATA_TAG)},
            opts=pulumi.ResourceOptions(
                parent=self,
                provider=providers.for_role(SystemRole.SECURITYADMIN),
                depends_on=[self.metadata_tag],
            ),
        )
        objects = [
            TaggedObject(
                self._naming.quoted(self._naming.warehouse(purpose)), WAREHOUSE_METADATA, (warehouse,)
            )
            for purpose, warehouse in warehouses.items()
        ]
        self._associate_all(
            "WAREHOUSE", objects, providers.for_role(SystemRole.SYSADMIN), [apply, self._owner.rollup]
        )

    def _associate_all(
        self,
        object_type: str,
        objects: list[TaggedObject],
        provider: snowflake.Provider,
        privileges: list[pulumi.Resource],
    ) -> None:
        """One TagAssociation per tag and value: its id is `tag|value|object type`, which must be unique."""
        groups: dict[tuple[str, str], _Association] = {}
        for tagged in objects:
            values = {METADATA_TAG: tagged.metadata.to_tag_value(tagged.identifier)}
            if tagged.pii_level is not None:
                values[PII_TAG] = tagged.pii_level.value
            for tag, value in values.items():
                group = groups.setdefault((tag, value), _Association(_label(tag, value, tagged.metadata)))
                group.identifiers.append(tagged.identifier)
                group.depends_on.extend(d for d in tagged.depends_on if d not in group.depends_on)
        tags = {METADATA_TAG: self.metadata_tag, PII_TAG: self.pii_tag}
        for (tag, value), group in groups.items():
            snowflake.TagAssociation(
                f"{self._base}-{object_type.lower().replace(' ', '-')}-{group.label}",
                object_type=object_type,
                object_identifiers=sorted(group.identifiers),
                tag_id=self.tag_id(tag),
                tag_value=value,
                opts=pulumi.ResourceOptions(
                    parent=self, provider=provider, depends_on=[tags[tag], *privileges, *group.depends_on]
                ),
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
            ordered_allowed_values=allowed_values,
            masking_policies=masking,
            comment=f"Sophia AI {tag}",
            opts=pulumi.ResourceOptions(parent=self, provider=self._owner.provider, depends_on=depends_on),
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
            opts=pulumi.ResourceOptions(parent=self, provider=self._owner.provider, depends_on=[ops_schema]),
        )


def _label(tag: str, value: str, metadata: SophiaMetadata) -> str:
    """Names an association after its tag and value, not its objects, so objects can join or leave it.

    A metadata value is long JSON: what it describes, then a digest of the whole value keeps names unique.
    """
    if tag == PII_TAG:
        return f"pii-{value}"
    digest = hashlib.sha256(value.encode()).hexdigest()[:8]
    return f"metadata-{metadata.entity_type}-{metadata.data_source}-{digest}"


def _schema_metadata(spec: SchemaSpec) -> SophiaMetadata:
    frequency, pii_level, vector_index = SCHEMA_METADATA[spec.kind]
    return SophiaMetadata(
        entity_type=spec.kind.value,
        data_source=(spec.source or "sophia").lower(),
        update_frequency=frequency,
        pii_level=pii_level,
        vector_index=vector_index,
    )
