"""How a curated stream feeds a knowledge entity: stable ids, and the MERGE that keeps the entity in step."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from catalog.sql_files import SqlFragment, SqlLiteral, join_fragments, render_fragment, render_sql
from catalog.tables import FoundationalCatalog
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA, Naming


def key_name(match_on: str | None, cross_system_id: str | None, source: str, stream: str) -> str:
    """What an entity id is built from: `<KEY>:<value>`, so sources that match on the same key share ids."""
    return match_on or cross_system_id or f"{source}_{stream}"


@dataclass(frozen=True)
class EntityReferenceSpec:
    """An entity column holding another entity's id, built from a curated column with that entity's key."""

    entity: str
    key_name: str
    column: str


@dataclass(frozen=True)
class EntityMappingSpec:
    """A validated mapping: curated columns (upper-cased as Airbyte writes them) into entity columns."""

    source: str
    stream: str
    entity: str
    record_key: str
    columns: Mapping[str, str]
    constants: Mapping[str, str] = field(default_factory=dict)
    references: Mapping[str, EntityReferenceSpec] = field(default_factory=dict)
    cross_system_id: str | None = None
    match_on: str | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        """One mapping per source, stream and entity."""
        return (self.source, self.stream, self.entity)

    @property
    def key_name(self) -> str:
        """The key this mapping's entity ids are built from."""
        return key_name(self.match_on, self.cross_system_id, self.source, self.stream)

    @property
    def key_field(self) -> str:
        """The curated column holding that key's value."""
        column = self.match_on or self.cross_system_id
        return self.columns[column] if column else self.record_key

    @property
    def entity_columns(self) -> list[str]:
        """Every entity column the mapping writes, besides the id and timestamps."""
        return [*self.columns, *self.constants, *self.references]


def stream_name(spec: EntityMappingSpec) -> str:
    """The stream on the curated table that this mapping's task reads, in the gate's schema."""
    return f"ENTITY_{spec.source}_{spec.stream}_TO_{spec.entity}_STREAM"


def task_name(spec: EntityMappingSpec) -> str:
    """The task that runs after the source's gate: same schema as the gate task, as task graphs require."""
    return f"ENTITY_{spec.source}_{spec.stream}_TO_{spec.entity}_TASK"


def maintenance_statement(
    spec: EntityMappingSpec, catalog: FoundationalCatalog, naming: Naming, stream: str | None = None
) -> SqlFragment:
    """The MERGE of one micro-batch from the stream on curated into the entity; `stream` overrides its name."""
    table = catalog.table(spec.entity)
    select_list = [
        *(render_fragment("entities/select_column.sql", field=f, column=c) for c, f in spec.columns.items()),
        *(
            render_fragment("entities/select_constant.sql", value=SqlLiteral(v), column=c)
            for c, v in spec.constants.items()
        ),
        *(
            render_fragment(
                "entities/select_reference.sql", key_name=SqlLiteral(r.key_name), field=r.column, column=c
            )
            for c, r in spec.references.items()
        ),
    ]
    columns = spec.entity_columns
    owns_row = (
        render_fragment("entities/owns_row.sql", column=spec.cross_system_id)
        if spec.cross_system_id
        else render_fragment("entities/owns_row_by_id.sql")
    )
    return render_fragment(
        "entities/maintain.sql",
        entity_table=naming.in_database_unquoted(KNOWLEDGE_SCHEMA, spec.entity),
        stream=stream or naming.in_database_unquoted(OPS_SCHEMA, stream_name(spec)),
        key_name=SqlLiteral(spec.key_name),
        key_field=spec.key_field,
        id_column=table.id_column,
        select_list=join_fragments(",\n            ", select_list),
        owns_row=owns_row,
        changed=join_fragments(
            " OR ", (render_fragment("entities/changed_column.sql", column=c) for c in columns)
        ),
        assignments=join_fragments(
            ", ", (render_fragment("entities/assign_column.sql", column=c) for c in columns)
        ),
        insert_columns=columns,
        insert_values=join_fragments(
            ", ", (render_fragment("entities/record_value.sql", column=c) for c in columns)
        ),
    )


def task_statement(spec: EntityMappingSpec, catalog: FoundationalCatalog, naming: Naming) -> str:
    """The task's Snowflake Scripting block: make the stream once curated exists, then MERGE its batch."""
    curated_schema = Naming.curated_schema(spec.source)
    return render_sql(
        "entities/task_body.sql",
        information_schema=f"{naming.database}.INFORMATION_SCHEMA",
        curated_schema=curated_schema,
        curated_name=spec.stream,
        stream=naming.in_database_unquoted(OPS_SCHEMA, stream_name(spec)),
        curated_table=naming.in_database_unquoted(curated_schema, spec.stream),
        merge=maintenance_statement(spec, catalog, naming),
    )
