"""Stand-ins for what fakesnow lacks (VECTOR, Cortex, cosine similarity, tag and role context), each small.

Most shims are DuckDB objects registered on fakesnow's connection, so the SQL from `sql/` runs unchanged:
the task MERGE, the views and the freshness view need no rewrite at all. Three named rewrites remain:
- "vector-column": the DDL's VECTOR(FLOAT, 768) is created as ARRAY, then altered to DuckDB DOUBLE[768];
- "cosine-similarity": the search's VECTOR_COSINE_SIMILARITY is renamed FS_VECTOR_COSINE_SIMILARITY;
- "masking-context": a masking body's CURRENT_ROLE() and SYSTEM$GET_TAG_ON_CURRENT_COLUMN(...) become literals;
- "condition-result": an alert action's RESULT_SCAN of its condition's query reads a table holding that result.
One fix to fakesnow itself, allow_merge_in_transactions, lets its MERGE run inside a transaction.
"""

import re
from datetime import datetime

import fakesnow.transforms as fakesnow_transforms
from duckdb import DuckDBPyConnection
from sqlglot import exp, parse_one

from catalog.embedding import EmbeddingModel
from catalog.table_spec import SnowflakeType, TableSpec

DIMENSIONS = 768
_CALL_COUNTER = "FS_EMBED_TEXT_768_CALLS"
_ALERT_SCHEDULE = "FS_ALERT_SCHEDULE"


def install(duck: DuckDBPyConnection) -> None:
    """Registers the Cortex and cosine shims on fakesnow's DuckDB connection."""
    _install_cortex(duck)
    _install_cosine_similarity(duck)


def _install_cortex(duck: DuckDBPyConnection) -> None:
    """A deterministic SNOWFLAKE.CORTEX.EMBED_TEXT_768 that counts its calls.

    It is a DuckDB macro in an attached catalog named SNOWFLAKE, schema CORTEX, so the fully qualified call
    in the task SQL resolves without any rewrite. The vector is a hashed bag of words (dimension i counts
    the words whose hash is i modulo 768), so texts sharing words are close under cosine similarity. Each
    evaluation draws from a sequence, which is how calls are counted: DuckDB Python UDFs would need numpy,
    which the project does not install. Unknown models raise, as Cortex does.
    """
    models = ", ".join(f"'{model.value}'" for model in EmbeddingModel)
    duck.execute("ATTACH ':memory:' AS SNOWFLAKE")
    duck.execute("CREATE SCHEMA SNOWFLAKE.CORTEX")
    duck.execute(f"CREATE TEMP SEQUENCE {_CALL_COUNTER}")
    duck.execute(
        f"""
        CREATE MACRO SNOWFLAKE.CORTEX.EMBED_TEXT_768(model, input_text) AS
        CASE
            WHEN model NOT IN ({models}) THEN error('unknown EMBED_TEXT_768 model ' || model)
            WHEN nextval('temp.main.{_CALL_COUNTER}') > 0 THEN list_transform(
                range({DIMENSIONS}),
                lambda i: CAST(len(list_filter(
                    regexp_split_to_array(lower(input_text), '[^a-z0-9]+'),
                    lambda word: word <> '' AND hash(word) % {DIMENSIONS} = i
                )) AS DOUBLE)
            )
        END
        """
    )


def embed_calls(duck: DuckDBPyConnection) -> int:
    """How many times EMBED_TEXT_768 has been evaluated on this connection."""
    row = duck.execute(
        "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = ?", [_CALL_COUNTER]
    ).fetchone()
    assert row is not None, "the Cortex shim is not installed"
    return row[0] or 0


def _install_cosine_similarity(duck: DuckDBPyConnection) -> None:
    """FS_VECTOR_COSINE_SIMILARITY: the real cosine similarity, for the "cosine-similarity" rewrite.

    sqlglot 30.22 reads Snowflake's VECTOR_COSINE_SIMILARITY as CosineDistance and fakesnow runs it as
    DuckDB's LIST_COSINE_DISTANCE, i.e. 1 - similarity, which would rank the farthest entity first.
    """
    duck.execute(
        "CREATE TEMP MACRO FS_VECTOR_COSINE_SIMILARITY(a, b) AS "
        "list_cosine_similarity(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))"
    )


def rewrite_cosine_similarity(sql: str) -> str:
    """The "cosine-similarity" rewrite; refuses SQL that does not call VECTOR_COSINE_SIMILARITY."""
    rewritten, count = re.subn(r"\bVECTOR_COSINE_SIMILARITY\(", "FS_VECTOR_COSINE_SIMILARITY(", sql)
    assert count, "no VECTOR_COSINE_SIMILARITY call to rewrite"
    return rewritten


def create_table_statements(spec: TableSpec, schema: str, database: str) -> tuple[str, list[str]]:
    """The catalog's DDL with the "vector-column" rewrite: a fakesnow statement, then DuckDB ALTERs.

    fakesnow cannot parse VECTOR(FLOAT, 768), so the column is created as ARRAY and then given the DuckDB
    type DOUBLE[768], which keeps the fixed dimension: a vector of any other length fails to insert.
    """
    vector = SnowflakeType.VECTOR_768
    alters = [
        f"ALTER TABLE {database}.{schema}.{spec.name} ALTER {c.name} SET DATA TYPE DOUBLE[{DIMENSIONS}]"
        for c in spec.columns
        if c.type is vector
    ]
    return spec.create_table_sql(schema).replace(vector.value, "ARRAY"), alters


def bind_masking_context(body: str, role: str, pii_level: str | None) -> str:
    """The "masking-context" rewrite: the role and the column's tag value become literals.

    Parsed with sqlglot rather than replaced as text, and each call must occur exactly once, so the rewrite
    cannot silently miss a call or touch anything else.
    """
    tree = parse_one(body, read="snowflake")
    roles = list(tree.find_all(exp.CurrentRole))
    tags = [f for f in tree.find_all(exp.Anonymous) if f.name.upper() == "SYSTEM$GET_TAG_ON_CURRENT_COLUMN"]
    assert len(roles) == 1 and len(tags) == 1, f"expected one role and one tag lookup in {body}"
    roles[0].replace(exp.Literal.string(role))
    tags[0].replace(exp.Literal.string(pii_level) if pii_level is not None else exp.Null())
    return tree.sql(dialect="snowflake")


def install_alert_functions(duck: DuckDBPyConnection) -> None:
    """SNOWFLAKE.ALERT's schedule functions and the NOTIFICATION functions alert actions call.

    Inside an alert, SCHEDULED_TIME() is when the current evaluation was scheduled and
    LAST_SUCCESSFUL_SCHEDULED_TIME() when the last successful one was, NULL before any (Snowflake's alert
    function docs); here they read a schedule the test sets with set_alert_schedule. TEXT_PLAIN returns
    the message as `{"text/plain": "<message>"}` (TEXT_PLAIN docs).
    """
    attached = duck.execute("SELECT 1 FROM duckdb_databases() WHERE database_name = 'SNOWFLAKE'").fetchall()
    if not attached:
        duck.execute("ATTACH ':memory:' AS SNOWFLAKE")
    duck.execute("CREATE SCHEMA SNOWFLAKE.ALERT")
    duck.execute("CREATE SCHEMA SNOWFLAKE.NOTIFICATION")
    duck.execute(f"CREATE TEMP TABLE {_ALERT_SCHEDULE} (LAST_SUCCESSFUL TIMESTAMPTZ, SCHEDULED TIMESTAMPTZ)")
    duck.execute(f"INSERT INTO {_ALERT_SCHEDULE} VALUES (NULL, NULL)")
    for function, column in (
        ("SCHEDULED_TIME", "SCHEDULED"),
        ("LAST_SUCCESSFUL_SCHEDULED_TIME", "LAST_SUCCESSFUL"),
    ):
        duck.execute(
            f"CREATE MACRO SNOWFLAKE.ALERT.{function}() AS (SELECT {column} FROM temp.main.{_ALERT_SCHEDULE})"
        )
    duck.execute(
        "CREATE MACRO SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(message) AS json_object('text/plain', message)::VARCHAR"
    )
    # SANITIZE_WEBHOOK_CONTENT returns the message with its placeholders replaced by REDACTED (its docs).
    duck.execute(
        "CREATE MACRO SNOWFLAKE.NOTIFICATION.SANITIZE_WEBHOOK_CONTENT(message) AS "
        "replace(replace(message, 'SNOWFLAKE_WEBHOOK_SECRET', 'REDACTED'), 'SNOWFLAKE_WEBHOOK_MESSAGE', 'REDACTED')"
    )


def set_alert_schedule(
    duck: DuckDBPyConnection, last_successful: datetime | None, scheduled: datetime
) -> None:
    """The alert evaluation the next condition runs in."""
    duck.execute(
        f"UPDATE temp.main.{_ALERT_SCHEDULE} SET LAST_SUCCESSFUL = ?, SCHEDULED = ?",
        [last_successful, scheduled],
    )


def bind_condition_result(query: str, table: str) -> str:
    """The "condition-result" rewrite: an action's RESULT_SCAN of the condition's query reads `table` instead.

    RESULT_SCAN(SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID()) is the result set of the alert's condition
    (GET_CONDITION_QUERY_UUID docs); the test stores that result in `table`. Parsed, and exactly once.
    """
    tree = parse_one(query, read="snowflake")
    scans = [t for t in tree.find_all(exp.TableFromRows) if t.this.name.upper() == "RESULT_SCAN"]
    assert len(scans) == 1, f"expected one RESULT_SCAN in {query}"
    call = scans[0].this.expressions[0]
    assert call.sql(dialect="snowflake").upper() == "SNOWFLAKE.ALERT.GET_CONDITION_QUERY_UUID()", call.sql()
    scans[0].replace(exp.to_table(table))
    return tree.sql(dialect="snowflake")


def allow_merge_in_transactions() -> None:
    """fakesnow 0.12.1 runs MERGE inside a transaction after other writes, as Snowflake does.

    fakesnow records the comment of every CREATE TABLE that has properties, as the text 'None' when there
    is none, in its global catalog; its MERGE emulation creates such a table (a TEMPORARY one), so the MERGE
    writes a second DuckDB database and DuckDB refuses that inside a transaction. Snowflake has no such
    limit (MERGE is DML, transactions docs). Dropping the absent comment is all this changes: a table
    created without a comment has none, in fakesnow as in Snowflake. Idempotent.
    """
    record = fakesnow_transforms.extract_comment_on_table
    if getattr(record, "drops_absent_comment", False):
        return

    def without_absent_comment(expression: exp.Expr) -> exp.Expr:
        transformed = record(expression)
        if (comment := transformed.args.get("table_comment")) and comment[1] is None:
            del transformed.args["table_comment"]
        return transformed

    without_absent_comment.drops_absent_comment = True  # type: ignore[attr-defined]
    fakesnow_transforms.extract_comment_on_table = without_absent_comment
