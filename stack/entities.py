"""Typed entity mappings: which promoted stream feeds which knowledge entity, column by column, checked."""

from collections.abc import Mapping, Sequence
from typing import Annotated

from pydantic import Field, StringConstraints

from catalog.entity_mappings import EntityMappingSpec, EntityReferenceSpec
from catalog.quality_gate.objects import PromotedStream
from catalog.tables import CREATED_AT, UPDATED_AT, FoundationalCatalog
from models.identifiers import SnowflakeIdentifier
from models.quality_gate import snowflake_column
from models.strict_model import StrictModel
from models.validation import not_allowed
from stack.airbyte.config import AirbyteSourceConfig, StreamConfig

KEY = "entityMappings"
# A constant is written into the SQL as a quoted literal: letters, digits and `_ . -` only (sql_files).
ConstantValue = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]
StreamField = Annotated[str, StringConstraints(min_length=1, max_length=255)]


class EntityReference(StrictModel):
    """An entity column that holds another entity's stable id, built from a stream field as that entity builds it."""

    entity: SnowflakeIdentifier
    key: SnowflakeIdentifier  # the referenced entity's matchOn (or crossSystemId) column, e.g. HUBSPOT_ID
    field: StreamField  # the stream field holding that key's value


class EntityMapping(StrictModel):
    """One promoted stream into one entity: column by column, constants, references, and how records match."""

    source: SnowflakeIdentifier
    stream: StreamField
    entity: SnowflakeIdentifier
    columns: dict[SnowflakeIdentifier, StreamField] = Field(min_length=1)
    constants: dict[SnowflakeIdentifier, ConstantValue] = Field(default_factory=dict)
    references: dict[SnowflakeIdentifier, EntityReference] = Field(default_factory=dict)
    # The entity column that receives the stream's primary key, e.g. HUBSPOT_ID: a delete removes the
    # entity only where this column still holds the deleted record's key.
    cross_system_id: SnowflakeIdentifier | None = None
    # The entity column records from several sources match on, e.g. DOMAIN; by default the crossSystemId.
    match_on: SnowflakeIdentifier | None = None


def check_entity_mappings(
    mappings: Sequence[EntityMapping],
    sources: Mapping[str, AirbyteSourceConfig],
    catalog: FoundationalCatalog,
) -> list[EntityMappingSpec]:
    """The mappings as the catalog's specs, or a ValueError naming the key, what was given and what is allowed."""
    specs = [_spec(f"{KEY}[{i}]", mapping, sources, catalog) for i, mapping in enumerate(mappings)]
    seen: set[tuple[str, str, str]] = set()
    for i, spec in enumerate(specs):
        if spec.identity in seen:
            raise ValueError(f"{KEY}[{i}]: {spec.source}.{spec.stream} into {spec.entity} is mapped twice")
        seen.add(spec.identity)
    keys = {(spec.entity, spec.key_name) for spec in specs}
    for i, spec in enumerate(specs):
        for column, ref in spec.references.items():
            if (ref.entity, ref.key_name) not in keys:
                made = sorted(k for e, k in keys if e == ref.entity)
                raise not_allowed(
                    f"{KEY}[{i}].references.{column}.key",
                    ref.key_name,
                    made,
                    f" (no mapping builds {ref.entity} ids from that key, so the link would dangle)",
                )
    return specs


def _spec(
    where: str,
    mapping: EntityMapping,
    sources: Mapping[str, AirbyteSourceConfig],
    catalog: FoundationalCatalog,
) -> EntityMappingSpec:
    stream = _stream(where, mapping, sources)
    fields = _declared_fields(mapping.source, stream)
    table_names = [table.name for table in catalog.tables]
    if mapping.entity not in table_names:
        raise not_allowed(f"{where}.entity", mapping.entity, table_names)
    table = catalog.table(mapping.entity)
    writable = [c for c in table.column_names if c not in (table.id_column, CREATED_AT, UPDATED_AT)]
    assigned = [*mapping.columns, *mapping.constants, *mapping.references]
    for part, names in (("columns", mapping.columns), ("constants", mapping.constants)):
        for column in names:
            if column not in writable:
                raise not_allowed(f"{where}.{part}.{column}", column, writable)
    for column, ref in mapping.references.items():
        if column not in writable:
            raise not_allowed(f"{where}.references.{column}", column, writable)
        _check_reference(f"{where}.references.{column}", ref, catalog, fields)
    if twice := sorted({c for c in assigned if assigned.count(c) > 1}):
        raise ValueError(
            f"{where}: entity columns {twice} are set more than once (columns, constants, references)"
        )
    for column, field in mapping.columns.items():
        if snowflake_column(field) not in fields:
            raise not_allowed(
                f"{where}.columns.{column}", field, sorted(fields), " (not a declared field of the stream)"
            )
    required = [
        c.name for c in table.columns if not c.nullable and c.name in writable and c.name not in assigned
    ]
    if required:
        raise ValueError(
            f"{where}: {mapping.entity} columns {required} are NOT NULL, so the mapping must set them"
        )
    _check_keys(where, mapping, stream)
    return EntityMappingSpec(
        source=mapping.source,
        stream=snowflake_column(stream.name),
        entity=mapping.entity,
        record_key=snowflake_column(stream.primary_key[0][0]),
        columns={column: snowflake_column(field) for column, field in mapping.columns.items()},
        constants=dict(mapping.constants),
        references={
            column: EntityReferenceSpec(ref.entity, ref.key, snowflake_column(ref.field))
            for column, ref in mapping.references.items()
        },
        cross_system_id=mapping.cross_system_id,
        match_on=mapping.match_on,
    )


def _check_keys(where: str, mapping: EntityMapping, stream: StreamConfig) -> None:
    """crossSystemId and matchOn are mapped columns; crossSystemId holds the key; matchOn needs it."""
    for option in ("cross_system_id", "match_on"):
        column = getattr(mapping, option)
        if column is not None and column not in mapping.columns:
            raise not_allowed(
                f"{where}.{_camel(option)}", column, sorted(mapping.columns), " (a mapped column)"
            )
    if mapping.match_on is not None and mapping.cross_system_id is None:
        raise ValueError(
            f"{where}: matchOn {mapping.match_on} needs crossSystemId, so a delete removes only the record's own row"
        )
    if (
        mapping.cross_system_id is not None
        and mapping.columns[mapping.cross_system_id] != stream.primary_key[0][0]
    ):
        raise ValueError(
            f"{where}.columns.{mapping.cross_system_id}: the crossSystemId must hold the stream's primary key "
            f"{stream.primary_key[0][0]!r}, given {mapping.columns[mapping.cross_system_id]!r}"
        )


def _stream(where: str, mapping: EntityMapping, sources: Mapping[str, AirbyteSourceConfig]) -> StreamConfig:
    if not sources:
        raise ValueError(
            f"{where}: entity mappings read streams the gate promotes, so airbyte must be configured"
        )
    if mapping.source not in sources:
        raise not_allowed(
            f"{where}.source", mapping.source, sorted(sources), " (an Airbyte source of the stack)"
        )
    source = sources[mapping.source]
    promoted = {stream.table for stream in source.promoted_streams(mapping.source)}
    streams = {s.name: s for s in source.streams if snowflake_column(s.name) in promoted}
    if mapping.stream not in streams:
        raise not_allowed(f"{where}.stream", mapping.stream, list(streams), " (a stream the gate promotes)")
    stream = streams[mapping.stream]
    if len(stream.primary_key) != 1:
        raise ValueError(
            f"{where}.stream: {mapping.stream!r} has a composite primary key; map a single-key stream"
        )
    return stream


def _declared_fields(source: str, stream: StreamConfig) -> set[str]:
    """Curated columns the stream config names: key, cursor, checked columns and its listed columns."""
    promoted = PromotedStream.from_config(source, stream)
    named = {column for column in promoted.required_columns if not column.startswith("_AIRBYTE_")}
    return named | {snowflake_column(field) for field in stream.columns}


def _check_reference(
    where: str, ref: EntityReference, catalog: FoundationalCatalog, fields: set[str]
) -> None:
    names = [table.name for table in catalog.tables]
    if ref.entity not in names:
        raise not_allowed(f"{where}.entity", ref.entity, names)
    columns = catalog.table(ref.entity).column_names
    if ref.key not in columns:
        raise not_allowed(f"{where}.key", ref.key, columns)
    if snowflake_column(ref.field) not in fields:
        raise not_allowed(
            f"{where}.field", ref.field, sorted(fields), " (not a declared field of the stream)"
        )


def _camel(option: str) -> str:
    head, *rest = option.split("_")
    return head + "".join(part.title() for part in rest)
