"""The pack's statement scanner finds what sqlglot's parse finds on every shipped statement, and is fail-closed."""

import pytest
import sqlglot
from sqlglot import exp

from policies.sophia_policies.sql_reads import objects_read
from tests.harness import Plan

VIEW, TASK = "snowflake:index/view:View", "snowflake:index/task:Task"


def parsed_reads(sql: str, database: str, schema: str) -> frozenset[str] | None:
    """The reference: every table sqlglot's Snowflake parse finds, less CTEs and INSERT/MERGE targets."""
    try:
        tree = sqlglot.parse_one(sql, read="snowflake")
    except sqlglot.errors.ParseError:
        return None
    ctes = {cte.alias_or_name.upper() for cte in tree.find_all(exp.CTE)}
    written = tree.this if isinstance(tree, exp.Merge | exp.Insert) else None
    return frozenset(
        ".".join((table.catalog or database, table.db or schema, table.name)).upper()
        for table in tree.find_all(exp.Table)
        if table is not written and table.name and (table.db or table.name.upper() not in ctes)
    )


def test_every_shipped_statement_reads_what_a_parser_finds(any_plan: Plan) -> None:
    compared, scripts = 0, 0
    for resource in (*any_plan.of_type(VIEW), *any_plan.of_type(TASK)):
        sql = resource.inputs.get("statement") or resource.inputs["sql_statement"]
        if sql.lstrip().upper().startswith("CALL"):
            continue  # the rule never reads a CALL: EXECUTE TASK returns nothing
        database, schema = resource.inputs["database"], resource.inputs["schema"]
        expected = parsed_reads(sql, database, schema)
        found = objects_read(sql, database, schema)
        if expected is None:  # a Snowflake Scripting block sqlglot cannot parse: still its tables are found
            scripts += 1
            assert found and all(name.count(".") == 2 for name in found), resource.name
            continue
        assert found == expected, resource.name
        compared += 1
    assert compared >= 20 and scripts >= 1  # the comparison covered the views and the scripted tasks


@pytest.mark.parametrize(
    ("sql", "reads"),
    [
        # Words in comments, strings, dollar-quoted strings and quoted names are not clauses.
        ("SELECT 'FROM X' AS a, $$ JOIN Y $$ FROM T -- FROM Z\n /* JOIN W */ // USING V", {"DB.S.T"}),
        ('SELECT "FROM" FROM "Sch"."Tbl"', {"DB.SCH.TBL"}),
        ("SELECT 'it''s FROM q' , 'a\\' FROM b' FROM T", {"DB.S.T"}),
        # FROM inside EXTRACT, TRIM, SUBSTRING or IS DISTINCT FROM names no table.
        ("SELECT EXTRACT(YEAR FROM ts), TRIM(BOTH ' ' FROM c) FROM A.T WHERE x IS DISTINCT FROM y", {"DB.A.T"}),
        # Partial names are qualified as Snowflake resolves them; CTEs are not objects unless qualified.
        ("WITH e AS (SELECT 1 FROM K.EMP), f AS (SELECT 2) SELECT * FROM e JOIN f ON 1=1 JOIN X.e ON 1=1",
         {"DB.K.EMP", "DB.X.E"}),
        # Comma joins, laterals and table functions; subqueries are read inside.
        ("SELECT 1 FROM O.H AS h, LATERAL FLATTEN(input => h.V) AS f, P.Q q, TABLE(GEN(1)) t "
         "WHERE h.a IN (SELECT b FROM R.S)", {"DB.O.H", "DB.P.Q", "DB.R.S"}),
        # MERGE and INSERT targets are written, not read; the source is read; UPDATE SET is no table.
        ("MERGE INTO T.TGT t USING (SELECT * FROM T.SRC) s ON t.k = s.k WHEN MATCHED THEN UPDATE SET a = 1, "
         "b = 2 WHEN NOT MATCHED THEN INSERT (a) VALUES (s.a)", {"DB.T.SRC"}),
        ("INSERT INTO T.TGT SELECT * FROM C.D.SRC", {"C.D.SRC"}),
        # Fail-closed: DELETE's and UPDATE's targets count as read, as a parser's table list has them.
        ("DELETE FROM T.A USING T.B WHERE T.A.k = T.B.k", {"DB.T.A", "DB.T.B"}),
        ("UPDATE T.A SET x = b.x FROM T.B b WHERE T.A.k = b.k", {"DB.T.A", "DB.T.B"}),
        # GROUP BY ends the FROM list: its commas separate columns.
        ("SELECT a, b FROM T.A GROUP BY a, b ORDER BY a, b", {"DB.T.A"}),
        # A scripting block: every statement in it, INTO :variable no table.
        ("DECLARE n INTEGER; BEGIN SELECT COUNT(*) INTO :n FROM I.TABLES; "
         "IF (n > 0) THEN INSERT INTO T.X SELECT * FROM T.Y, T.Z; END IF; END", {"DB.I.TABLES", "DB.T.Y", "DB.T.Z"}),
    ],
)  # fmt: skip
def test_what_a_statement_reads(sql: str, reads: set[str]) -> None:
    assert objects_read(sql, "DB", "S") == frozenset(reads)
    reference = parsed_reads(sql, "DB", "S")
    if reference is not None:
        assert objects_read(sql, "DB", "S") >= reference  # never narrower than a parser's reading


def test_an_unterminated_string_still_shows_the_names_after_it() -> None:
    # Snowflake would refuse the statement; the scanner reads on rather than go blind.
    assert "DB.T.SECRET" in objects_read("SELECT 'open FROM T.SECRET", "DB", "S")
