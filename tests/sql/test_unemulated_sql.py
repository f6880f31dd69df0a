"""Structure of the SQL that fakesnow cannot run in its real wrapper, checked on sqlglot's parse tree.

fakesnow has no CREATE STREAM, CREATE TASK or CREATE MASKING POLICY, and sqlglot parses all three as an
opaque `exp.Command` without checking them. So the wrappers are left to the pulumi-snowflake resources,
and what we ship inside them (task body, task condition, masking bodies, view statements) is parsed here,
refusing any fallback to `exp.Command`, and asserted on as a tree. The task body and views also run on
fakesnow in the other tests; the WHEN condition and the masking bodies only run there after a rewrite.
"""

import pytest
import sqlglot
from sqlglot import exp

from catalog.embedding import EmbeddingModel, embed_task_condition, embed_task_statement
from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.masking import MASKING_BODIES, masking_policy_body
from catalog.views import catalog_views, entity_search_statement
from tests.sql.harness import MODEL, SCHEMAS


def _parse(sql: str) -> exp.Expr:
    tree = sqlglot.parse_one(sql, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    assert not isinstance(tree, exp.Command), f"sqlglot did not check this statement: {sql[:80]}"
    return tree


@pytest.mark.parametrize(
    "wrapper",
    [
        "CREATE STREAM S ON TABLE T SHOW_INITIAL_ROWS = TRUE",
        "CREATE TASK T WAREHOUSE = W SCHEDULE = '60 MINUTES' WHEN SYSTEM$STREAM_HAS_DATA('S') AS SELECT 1",
        "CREATE MASKING POLICY P AS (val STRING) RETURNS STRING -> CASE WHEN TRUE THEN val END",
    ],
)
def test_sqlglot_does_not_check_the_wrappers(wrapper):
    """Why the bodies are checked on their own; if this fails, sqlglot learned the wrapper and can check it."""
    assert isinstance(sqlglot.parse_one(wrapper, read="snowflake"), exp.Command)


@pytest.mark.parametrize("table", FOUNDATIONAL_CATALOG.tables, ids=lambda t: t.name)
def test_task_body_merges_from_the_stream_into_the_embeddings_table_only(table):
    merge = _parse(embed_task_statement(table, SCHEMAS.knowledge, MODEL))
    assert isinstance(merge, exp.Merge)
    assert merge.this.sql() == f"{SCHEMAS.knowledge}.{table.embeddings_table_name} AS target"
    read = {t.name for t in merge.args["using"].find_all(exp.Table) if t.db == SCHEMAS.knowledge}
    assert read == {table.stream_name, table.embeddings_table_name}  # never the entity table itself

    whens = [
        (w.args["matched"], type(w.args["then"]).__name__, w.args.get("condition"))
        for w in merge.args["whens"]
    ]
    assert [(matched, then) for matched, then, _ in whens] == [
        (True, "Var"),
        (True, "Update"),
        (False, "Insert"),
    ]
    assert whens[0][2].sql() == "source.CHANGE_ACTION = 'DELETE'"
    assert whens[2][2].sql() == "source.CHANGE_ACTION = 'INSERT'"


def test_cortex_is_called_once_and_only_for_rows_whose_text_or_model_changed():
    merge = _parse(embed_task_statement(FOUNDATIONAL_CATALOG.table("CUSTOMERS"), SCHEMAS.knowledge, MODEL))
    calls = [f for f in merge.find_all(exp.Anonymous) if f.name.upper() == "EMBED_TEXT_768"]
    assert len(calls) == 1
    assert calls[0].parent.sql().startswith("SNOWFLAKE.CORTEX.EMBED_TEXT_768('e5-base-v2', ")
    assert calls[0].find_ancestor(exp.Select).args["where"].sql() == (
        "WHERE changed.CHANGE_ACTION = 'INSERT' AND (stored.TEXT_HASH IS DISTINCT FROM changed.TEXT_HASH "
        "OR stored.MODEL IS DISTINCT FROM 'e5-base-v2')"
    )


def test_task_condition_checks_the_tables_own_stream():
    condition = _parse(embed_task_condition(FOUNDATIONAL_CATALOG.table("PRODUCTS"), SCHEMAS.knowledge))
    assert isinstance(condition, exp.Anonymous)
    assert condition.name == "SYSTEM$STREAM_HAS_DATA"
    assert [arg.this for arg in condition.expressions] == [f"{SCHEMAS.knowledge}.PRODUCTS_STREAM"]


@pytest.mark.parametrize("policy_type", sorted(MASKING_BODIES))
def test_masking_body_is_a_case_expression_of_the_documented_form(policy_type):
    body = _parse(masking_policy_body(policy_type, "DB.OPS.PII_LEVEL", ["SOPHIA_AI_ADMIN_ROLE"]))
    assert isinstance(body, exp.Case)
    tag_check, role_check = body.args["ifs"]
    assert tag_check.this.sql() == "SYSTEM$GET_TAG_ON_CURRENT_COLUMN('DB.OPS.PII_LEVEL') IN ('none', 'low')"
    assert role_check.this.sql() == "CURRENT_ROLE() IN ('SOPHIA_AI_ADMIN_ROLE')"
    assert tag_check.args["true"].sql() == role_check.args["true"].sql() == "val"


@pytest.mark.parametrize("model", list(EmbeddingModel))
def test_views_and_search_parse_as_queries(model):
    statements = [view.statement for view in catalog_views(FOUNDATIONAL_CATALOG, SCHEMAS, model)]
    # The connector fills pyformat binds client-side; here literals stand in for them.
    statements.append(entity_search_statement(SCHEMAS.semantic, model) % {"query_text": "'q'", "top_k": 5})
    for statement in statements:
        assert isinstance(_parse(statement), exp.Query)
