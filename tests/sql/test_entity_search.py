"""Entity search across all entity types: the shipped search statement ranks the nearest entity first."""

import pytest
import sqlglot

from catalog.embedding import EmbeddingModel
from catalog.views import entity_search_statement
from tests.sql import shims
from tests.sql.harness import SCHEMAS

ENTITIES = {
    "COMPETITORS": {
        "COMPETITOR_ID": "K1",
        "COMPETITOR_NAME": "Gong",
        "POSITIONING": "Conversation intelligence that records and transcribes sales calls",
    },
    "PRODUCTS": {
        "PRODUCT_ID": "P1",
        "PRODUCT_NAME": "Sophia Forecast",
        "DESCRIPTION": "Revenue forecasting dashboards for sales leaders",
    },
    "COMPANY_DOCUMENTS": {
        "DOCUMENT_ID": "D1",
        "TITLE": "Travel policy",
        "SUMMARY": "How to book flights and hotels for business trips",
    },
    "CUSTOMERS": {"CUSTOMER_ID": "C1", "COMPANY_NAME": "Acme", "DESCRIPTION": "Rockets and launch services"},
}


@pytest.fixture(scope="module")
def indexed(shared_warehouse):
    """Indexed once for the module: the tests here only read."""
    shared_warehouse.reset()
    for table, row in ENTITIES.items():
        shared_warehouse.insert(table, row)
        assert shared_warehouse.scheduled_run(table) == 1
    return shared_warehouse


def _search(knowledge, text: str, top_k: int = 4, model: EmbeddingModel = EmbeddingModel.E5_BASE_V2):
    statement = shims.rewrite_cosine_similarity(entity_search_statement(SCHEMAS.semantic, model))
    return knowledge.query(statement, {"query_text": text, "top_k": top_k})


@pytest.mark.parametrize(
    ("question", "nearest"),
    [
        ("who records and transcribes sales calls", ("competitor", "K1", "Gong")),
        ("book hotels for a business trip", ("company_document", "D1", "Travel policy")),
        ("forecasting dashboards", ("product", "P1", "Sophia Forecast")),
    ],
)
def test_nearest_entity_ranks_first_across_entity_types(indexed, question, nearest):
    results = _search(indexed, question)
    assert (results[0]["ENTITY_TYPE"], results[0]["ENTITY_ID"], results[0]["NAME"]) == nearest
    scores = [row["SCORE"] for row in results]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]


def test_search_returns_description_and_honours_top_k(indexed):
    results = _search(indexed, "rockets", top_k=2)
    assert len(results) == 2
    assert results[0]["DESCRIPTION"] == "Rockets and launch services"


def test_search_embeds_the_question_once(indexed):
    before = indexed.embed_calls()
    _search(indexed, "sales calls")
    assert indexed.embed_calls() - before == 1


def test_vectors_of_another_model_are_not_compared(indexed):
    assert _search(indexed, "sales calls", model=EmbeddingModel.SNOWFLAKE_ARCTIC_EMBED_M) == []


def test_the_cosine_shim_is_still_needed():
    """If sqlglot stops translating VECTOR_COSINE_SIMILARITY to a distance, drop the rewrite."""
    duckdb_sql = sqlglot.transpile("SELECT VECTOR_COSINE_SIMILARITY(a, b)", read="snowflake", write="duckdb")[
        0
    ]
    assert "COSINE_DISTANCE" in duckdb_sql
