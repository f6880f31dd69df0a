"""The views the catalog feeds, and the search the application runs against them."""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from catalog.embedding import EmbeddingModel
from catalog.semantic import FactSpec, entity_360_views
from catalog.sql_files import render_fragment, render_sql, render_union_all
from catalog.tables import FoundationalCatalog
from models.identifiers import SnowflakeIdentifier
from models.naming import KNOWLEDGE_SCHEMA, OPS_SCHEMA, SEMANTIC_SCHEMA

ENTITY_SEARCH_INDEX = "ENTITY_SEARCH_INDEX"
EMBEDDING_FRESHNESS = "EMBEDDING_FRESHNESS"
# The coverage contract: the share of each entity type's rows that must carry an embedding; the freshness
# view shows it per entity type and the embedding-coverage alert fires below it.
COVERAGE_EXPECTATION_PCT = 95

ANALYTICAL_VIEWS: Mapping[str, str] = {
    "CUSTOMER_360": "views/semantic/customer_360.sql",
    "COMPETITOR_LANDSCAPE": "views/semantic/competitor_landscape.sql",
    "PRODUCT_PRICING": "views/semantic/product_pricing.sql",
    "EMPLOYEE_DIRECTORY": "views/semantic/employee_directory.sql",
}


class CatalogSchemas(BaseModel):
    """The schemas the catalog's tables and views live in: the stack's fixed schemas unless told otherwise."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    knowledge: SnowflakeIdentifier = KNOWLEDGE_SCHEMA
    semantic: SnowflakeIdentifier = SEMANTIC_SCHEMA
    ops: SnowflakeIdentifier = OPS_SCHEMA


class ViewSpec(NamedTuple):
    """A view to declare: where it goes and its SELECT statement."""

    schema: str
    name: str
    statement: str


def entity_search_index_statement(catalog: FoundationalCatalog, knowledge_schema: str) -> str:
    """Every embedded entity of every table, with its name, description and vector."""
    return render_union_all(
        "views/semantic/entity_search_index_branch.sql",
        (table.sql_values(knowledge_schema) for table in catalog.tables),
    )


def embedding_freshness_statement(
    catalog: FoundationalCatalog, knowledge_schema: str, model: EmbeddingModel
) -> str:
    """Coverage, missing, stale and orphaned embeddings: one row per entity type, empty tables too."""
    return render_union_all(
        "views/ops/embedding_freshness_branch.sql",
        (
            {
                **table.sql_values(knowledge_schema),
                "model": model,
                "min_coverage_pct": COVERAGE_EXPECTATION_PCT,
            }
            for table in catalog.tables
        ),
    )


def catalog_views(
    catalog: FoundationalCatalog,
    schemas: CatalogSchemas,
    model: EmbeddingModel,
    facts: Iterable[FactSpec] = (),
) -> list[ViewSpec]:
    """Every view the catalog feeds: entity search, analytical and `_360` views, embedding freshness."""
    hand_written = {
        name: render_fragment(path, knowledge_schema=schemas.knowledge)
        for name, path in ANALYTICAL_VIEWS.items()
    }
    generated = entity_360_views(catalog, schemas.knowledge, facts, hand_written)
    # A hand-written view named like a `_360` view is its base, in its place; the other `_360` views follow.
    analytical = [
        ViewSpec(schemas.semantic, name, generated.pop(name, statement))
        for name, statement in hand_written.items()
    ]
    return [
        ViewSpec(
            schemas.semantic, ENTITY_SEARCH_INDEX, entity_search_index_statement(catalog, schemas.knowledge)
        ),
        *analytical,
        ViewSpec(
            schemas.ops, EMBEDDING_FRESHNESS, embedding_freshness_statement(catalog, schemas.knowledge, model)
        ),
        *(ViewSpec(schemas.semantic, name, statement) for name, statement in generated.items()),
    ]


def entity_search_statement(semantic_schema: str, model: EmbeddingModel) -> str:
    """The search the application runs: binds query_text and top_k, returns the nearest entities first."""
    return render_sql(
        "queries/entity_search.sql",
        semantic_schema=semantic_schema,
        search_index=ENTITY_SEARCH_INDEX,
        model=model,
    )
