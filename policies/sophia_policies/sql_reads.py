"""Which tables and views a Snowflake statement reads, found from its tokens, so the pack needs no SQL parser.

The owner's-rights rule asks one question of a view's or a task's statement: which named objects does it
read? Every such object follows FROM, JOIN or USING (or is the target of an UPDATE or DELETE, counted as read,
fail-closed), or a comma that continues a FROM list. Lexical rules as Snowflake documents them (Literals and
comments: `--`, `//`, `/* */`, '...' with '' and backslash escapes, $$...$$; double-quoted identifiers with
""; unquoted identifiers of letters, digits, `_` and `$`). What the scanner cannot tell apart it counts as
read: a false read only makes the rule stricter.
"""

import re
from dataclasses import dataclass
from functools import cache

_TOKEN = re.compile(
    r"""(?P<skip>\s+|--[^\n]*|//[^\n]*|/\*.*?\*/)
      |(?P<string>'(?:[^'\\]|\\.|'')*'|\$\$.*?\$\$)
      |(?P<quoted>"(?:[^"]|"")*")
      |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
      |(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
      |(?P<symbol>::|=>|\S)""",
    re.VERBOSE | re.DOTALL,
)
# Keywords after which a name is read; targets written by INSERT INTO and MERGE INTO are not reads.
_READS = {"FROM", "JOIN", "USING", "UPDATE"}
# Keywords that end a FROM list at their depth, so a later comma separates something else (GROUP BY, SET ...).
_ENDS_FROM = {"WHERE", "GROUP", "HAVING", "QUALIFY", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT",
              "MINUS", "WINDOW", "SELECT", "SET", "WHEN", "THEN", "VALUES", "RETURN", "INTO", ";"}  # fmt: skip
# Functions whose arguments may hold FROM without naming a table: EXTRACT(YEAR FROM x), TRIM(BOTH ' ' FROM x).
_FROM_IN_ARGUMENTS = {"EXTRACT", "TRIM", "SUBSTRING", "SUBSTR", "OVERLAY", "POSITION"}
# Words after FROM, JOIN or UPDATE that are no table: a lateral, NTH_VALUE's FROM FIRST, MERGE's UPDATE SET.
_NOT_A_TABLE = {"LATERAL", "TABLE", "FIRST", "LAST", "SELECT", "IDENTIFIER", "SET"}


@dataclass
class _Tokens:
    """A statement's tokens (kind, text), upper-cased words, and the names its common table expressions take."""

    items: list[tuple[str, str]]
    ctes: set[str]

    def name_at(self, start: int) -> list[str] | None:
        """The dotted name starting at `start` (unquoted parts), or None when none is there or it is called."""
        parts, index = [], start
        while index < len(self.items) and self.items[index][0] in ("word", "quoted"):
            kind, text = self.items[index]
            parts.append(text[1:-1].replace('""', '"') if kind == "quoted" else text)
            if not (index + 1 < len(self.items) and self.items[index + 1][1] == "."):
                break
            index += 2
        after = self.items[index + 1][1] if index + 1 < len(self.items) else ""
        if not parts or after == "(" or (len(parts) == 1 and parts[0].upper() in _NOT_A_TABLE):
            return None
        return parts


def _tokens(sql: str) -> _Tokens:
    items = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup or "symbol"
        if kind != "skip":
            items.append((kind, match.group().upper() if kind == "word" else match.group()))
    return _Tokens(items, _cte_names(items))


def _cte_names(items: list[tuple[str, str]]) -> set[str]:
    """Every `name AS (` that opens a common table expression, wherever the WITH is."""
    names = set()
    for index in range(len(items) - 2):
        kind, text = items[index]
        if kind in ("word", "quoted") and items[index + 1][1] == "AS" and items[index + 2][1] == "(":
            before = items[index - 1][1] if index else ""
            if before in ("WITH", "RECURSIVE", ","):
                names.add(text.strip('"').upper())
    return names


@cache
def objects_read(sql: str, database: str, schema: str) -> frozenset[str]:
    """DB.S.O of every object `sql` reads or merges from, qualified as Snowflake resolves a partial name."""
    tokens = _tokens(sql)
    openers: list[str] = []  # the word before each open parenthesis ("" when none)
    from_lists: set[int] = set()  # depths at which a FROM list is open
    names: set[str] = set()
    previous = ""
    for index, (kind, text) in enumerate(tokens.items):
        depth = len(openers)
        if text == "(":
            openers.append(previous)
        elif text == ")" and openers:
            from_lists.discard(depth)
            openers.pop()
        elif text in _ENDS_FROM:  # quoted names and strings keep their quotes, so never match
            from_lists.discard(depth)
        starts_name = (kind == "word" and text in _READS) or (text == "," and depth in from_lists)
        if kind == "word" and text == "FROM":
            if previous == "DISTINCT" or (openers and openers[-1] in _FROM_IN_ARGUMENTS):
                starts_name = False
            else:
                from_lists.add(depth)
        if starts_name and (parts := tokens.name_at(index + 1)):
            _add(names, parts, tokens.ctes, database, schema)
        previous = text if kind == "word" else ""
    return frozenset(names)


def _add(names: set[str], parts: list[str], ctes: set[str], database: str, schema: str) -> None:
    if len(parts) == 1 and parts[0].upper() in ctes:
        return  # a common table expression, not an object
    qualified = [database, schema][: max(0, 3 - len(parts))] + parts[-3:]
    names.add(".".join(qualified).upper())
