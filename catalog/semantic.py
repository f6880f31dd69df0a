"""The semantic layer's SQL: `<ENTITY>_360` views from the declarations, tag discovery and the search source."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalog.entity_mappings import EntityMappingSpec
from catalog.sql_files import (
    SqlFragment,
    SqlLiteral,
    SqlValue,
    join_fragments,
    render_fragment,
    render_sql,
    render_union_all,
)
from catalog.tables import EntityTableSpec, FoundationalCatalog
from models.naming import METADATA_TAG, TAG_SCHEMA
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency

RELATIONSHIPS = "RELATIONSHIPS"
TAGGED_OBJECTS = "TAGGED_OBJECTS"
# The columns the service lets a query filter on (CREATE CORTEX SEARCH SERVICE, ATTRIBUTES).
SEARCH_ATTRIBUTES = ("ENTITY_TYPE",)
SEARCH_COLUMN = "SEARCH_TEXT"
_FROM_TYPE, _RELATIONSHIP_TYPE = "FROM_ENTITY_TYPE", "RELATIONSHIP_TYPE"


@dataclass(frozen=True, order=True)
class FactSpec:
    """A kind of relationship that hangs off an entity type, e.g. a customer's gong_call, as a mapping declares."""

    entity_type: str
    relationship_type: str

    @property
    def stem(self) -> str:
        """The upper-case stem of its columns: gong_call -> GONG_CALL."""
        return re.sub(r"[^A-Z0-9]+", "_", self.relationship_type.upper()).strip("_")

    def sql_values(self, table: EntityTableSpec, knowledge_schema: str) -> dict[str, SqlValue]:
        """The names the fact's join and columns take."""
        alias = f"FACT_{self.stem}"
        return {
            "knowledge_schema": knowledge_schema,
            "relationships": RELATIONSHIPS,
            "entity_type": SqlLiteral(self.entity_type),
            "relationship_type": SqlLiteral(self.relationship_type),
            "alias": alias,
            "id_column": table.id_column,
            "count_column": f"{self.stem}_COUNT",
            "last_column": f"LAST_{self.stem}_AT",
        }


def declared_facts(specs: Iterable[EntityMappingSpec]) -> list[FactSpec]:
    """Every relationship type a mapping into RELATIONSHIPS declares with constant FROM type and type."""
    return sorted(
        {
            FactSpec(spec.constants[_FROM_TYPE], spec.constants[_RELATIONSHIP_TYPE])
            for spec in specs
            if spec.entity == RELATIONSHIPS and {_FROM_TYPE, _RELATIONSHIP_TYPE} <= set(spec.constants)
        }
    )


def view_360_name(table: EntityTableSpec) -> str:
    """CUSTOMERS -> CUSTOMER_360: named by the entity type, as the application asks for it."""
    return f"{table.entity_type.upper()}_360"


def entity_360_views(
    catalog: FoundationalCatalog,
    knowledge_schema: str,
    facts: Iterable[FactSpec],
    bases: Mapping[str, SqlFragment],
) -> dict[str, str]:
    """`<ENTITY>_360` statements by view name, every entity but the links themselves; `bases` by view name."""
    facts = list(facts)
    views = {}
    for table in catalog.tables:
        if table.name == RELATIONSHIPS:
            continue
        name = view_360_name(table)
        base = bases.get(name) or render_fragment(
            "views/semantic/entity_360_base.sql", knowledge_schema=knowledge_schema, table=table.name
        )
        mine = [
            fact.sql_values(table, knowledge_schema)
            for fact in facts
            if fact.entity_type == table.entity_type
        ]
        views[name] = render_sql(
            "views/semantic/entity_360.sql",
            base=base,
            fact_columns=_joined("", "views/semantic/entity_360_fact_columns.sql", mine),
            fact_joins=_joined("\n", "views/semantic/entity_360_fact_join.sql", mine),
        )
    return views


def _joined(separator: str, relative_path: str, values: list[dict[str, SqlValue]]) -> SqlFragment:
    """A file rendered once per fact, joined by `separator` (fact columns: each starts with its own comma)."""
    return join_fragments(separator, (render_fragment(relative_path, **v) for v in values))


def tagged_objects_statement(database: str) -> str:
    """Every tagged object of the stack's database with its SOPHIA_AI_METADATA parsed into columns."""
    return render_sql(
        "views/semantic/tagged_objects.sql", database=database, tag_schema=TAG_SCHEMA, tag=METADATA_TAG
    )


def search_source_statement(catalog: FoundationalCatalog, knowledge_schema: str) -> str:
    """What the Cortex Search service indexes: each entity's text to embed, typed for filtering."""
    return render_union_all(
        "search/service_source_branch.sql",
        (table.sql_values(knowledge_schema) for table in catalog.tables),
    )


def view_metadata(catalog: FoundationalCatalog, view_name: str) -> SophiaMetadata:
    """A view's SOPHIA_AI_METADATA: its entity's for a `_360` view; else a view over every entity, as sensitive."""
    for table in catalog.tables:
        if view_360_name(table) == view_name:
            return table.metadata()
    return SophiaMetadata(
        entity_type="semantic_view",
        data_source="sophia",
        update_frequency=UpdateFrequency.HOURLY,
        pii_level=PiiLevel.highest(table.metadata().pii_level for table in catalog.tables),
        vector_index=False,
    )


def discovery_metadata() -> SophiaMetadata:
    """The tag-discovery view's metadata: it lists objects and their tags, no data, no PII."""
    return SophiaMetadata(
        entity_type="tagged_object",
        data_source="snowflake",
        update_frequency=UpdateFrequency.HOURLY,
        pii_level=PiiLevel.NONE,
        vector_index=False,
    )
