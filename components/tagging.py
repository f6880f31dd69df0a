"""Setting the platform's tags on objects: one shared function, called by the component that owns them."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_snowflake as snowflake

from models.naming import METADATA_TAG, PII_TAG
from models.tag_metadata import PiiLevel, SophiaMetadata


@dataclass(frozen=True)
class TaggedObject:
    """One object to tag: its quoted identifier, its metadata, its PII level if it is a PII column."""

    identifier: str
    metadata: SophiaMetadata
    depends_on: tuple[pulumi.Resource, ...]
    pii_level: PiiLevel | None = None


@dataclass(frozen=True)
class Tags:
    """What a component needs to set the tags: their ids, the tags to wait for, and who sets them.

    `claimed` is shared by every copy: it records which component declared each association id, so two
    components never declare the same one.
    """

    ids: Mapping[str, str]
    resources: Mapping[str, pulumi.Resource]
    provider: snowflake.Provider
    # Privileges the provider's role needs beyond owning the tags and the objects.
    privileges: tuple[pulumi.Resource, ...] = ()
    claimed: dict[tuple[str, str, str], str] = field(default_factory=dict, compare=False, repr=False)


class DuplicateTagAssociationError(ValueError):
    """Two components would declare one TagAssociation id, which pulumi-snowflake requires to be unique."""


@dataclass
class _Association:
    """The objects of one type that carry one tag with one value: one TagAssociation, whose id that is."""

    label: str
    identifiers: list[str] = field(default_factory=list)
    depends_on: list[pulumi.Resource] = field(default_factory=list)


def tag_objects(
    parent: pulumi.Resource, name: str, tags: Tags, object_type: str, objects: Sequence[TaggedObject]
) -> list[snowflake.TagAssociation]:
    """Sets the metadata tag and, on PII columns, PII_LEVEL on `objects`, as children of `parent`.

    Objects of one type that share a tag value share one TagAssociation: its id is `tag|value|type`, which
    pulumi-snowflake requires to be unique across resources (TagAssociation docstring, the note on its id),
    so call this once per object type, and no two components may tag objects of one type with one value.
    """
    groups: dict[tuple[str, str], _Association] = {}
    for tagged in objects:
        values = {METADATA_TAG: tagged.metadata.to_tag_value(tagged.identifier)}
        if tagged.pii_level is not None:
            values[PII_TAG] = tagged.pii_level.value
        for tag, value in values.items():
            group = groups.setdefault((tag, value), _Association(_label(tag, value, tagged.metadata)))
            group.identifiers.append(tagged.identifier)
            group.depends_on.extend(d for d in tagged.depends_on if d not in group.depends_on)
    associations = []
    for (tag, value), group in groups.items():
        resource_name = f"{name}-{object_type.lower().replace(' ', '-')}-{group.label}"
        _claim(tags, (tags.ids[tag], value, object_type), resource_name)
        associations.append(
            snowflake.TagAssociation(
                resource_name,
                object_type=object_type,
                object_identifiers=sorted(group.identifiers),
                tag_id=tags.ids[tag],
                tag_value=value,
                opts=pulumi.ResourceOptions(
                    parent=parent,
                    provider=tags.provider,
                    depends_on=[tags.resources[tag], *tags.privileges, *group.depends_on],
                ),
            )
        )
    return associations


def _claim(tags: Tags, association_id: tuple[str, str, str], resource_name: str) -> None:
    """Records who declares an association id; a second declarer is refused, naming both."""
    first = tags.claimed.setdefault(association_id, resource_name)
    if first != resource_name:
        raise DuplicateTagAssociationError(
            f"{resource_name} and {first} would both be the TagAssociation {'|'.join(association_id)}; "
            "one tag value on objects of one type must be set by one component"
        )


def _label(tag: str, value: str, metadata: SophiaMetadata) -> str:
    """Names an association after its tag and value, not its objects, so objects can join or leave it.

    A metadata value is long JSON: what it describes, then a digest of the whole value keeps names unique.
    """
    if tag == PII_TAG:
        return f"pii-{value}"
    digest = hashlib.sha256(value.encode()).hexdigest()[:8]
    return f"metadata-{metadata.entity_type}-{metadata.data_source}-{digest}"
