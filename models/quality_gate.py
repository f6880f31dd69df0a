"""Data-quality checks declared with a stream, in dbt's vocabulary, and the rules a promoted stream obeys."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, StringConstraints, model_validator

from models.identifiers import IDENTIFIER_PATTERN
from models.strict_model import StrictModel
from models.validation import one_of

# A source field that Airbyte's Snowflake destination lands as a plain column: it upper-cases the name
# (SnowflakeNamingUtils.kt, toSnowflakeCompatibleName), so these are exactly the names that become
# unquoted identifiers; a field such as `hs-object.id` would land as a quoted column the gate refuses.
SourceField = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_$]{0,254}$")]


def _no_dollar_quotes(value: str) -> str:
    # The gate's procedure carries its values in its body, which pulumi-snowflake wraps in $$ ... $$
    # (catalog/quality_gate/procedures.py): a value holding $$ would end the body early.
    if "$$" in value:
        raise ValueError(f"accepted value {value!r} may not hold $$, which ends the gate procedure's body")
    return value


AcceptedValue = Annotated[
    str, StringConstraints(min_length=1, max_length=1000), AfterValidator(_no_dollar_quotes)
]

MIN_CHECKS_PER_SOURCE = 3


class Severity(StrEnum):
    """dbt's severities: an `error` failure holds the batch, a `warn` failure is only recorded and alerted."""

    ERROR = "error"
    WARN = "warn"


@dataclass(frozen=True)
class CheckKindSpec:
    """One kind of check: its SQL, what a declaration of it takes, the values its SQL binds, in order."""

    sql: str  # under sql/, an INSERT of the batch's failing rows
    binds: tuple[
        str, ...
    ]  # names of the gate's values (catalog/quality_gate/handler.py, check_binds), in `?` order
    takes: frozenset[str] = frozenset()  # keys a stream's declaration may give besides severity
    needs: frozenset[str] = frozenset()  # of those, the ones it must give
    needs_why: str = ""  # said after what a declaration lacks; {column} and {values} are what it gave
    per_column: bool = False  # expanded to one check per column, as dbt's not_null
    built_in: bool = False  # run by the gate on every promoted stream; never declared


_FAILING = ("source", "stream", "batch_id", "check_name")
_BATCH = ("window_from_ns", "through_ns", "after_ns")
# The one record per check kind that validation, expansion, the gate's plan and the docs read, by the name a
# stream declares it by. Adding a kind is its record here, its SQL file and its test: a file under
# tests/sql/check_kinds/ for a declarable kind (tests/sql/test_check_kinds.py runs every one).
CHECK_KINDS: dict[str, CheckKindSpec] = {
    "not_null": CheckKindSpec(
        "quality_gate/checks/not_null.sql",
        (*_FAILING, *_BATCH),
        frozenset({"columns"}),
        frozenset({"columns"}),
        ": the fields that must never be null",
        per_column=True,
    ),
    "unique": CheckKindSpec("quality_gate/checks/unique.sql", (*_FAILING, *_BATCH), frozenset({"columns"})),
    "accepted_values": CheckKindSpec(
        "quality_gate/checks/accepted_values.sql",
        (*_FAILING, *_BATCH, "values"),
        frozenset({"column", "values"}),
        frozenset({"column", "values"}),
        " (compared as text), given column={column!r}, values={values}",
    ),
    # Values Airbyte could not type are nulled and listed in _AIRBYTE_META.changes (Airbyte's typing docs).
    "airbyte_meta": CheckKindSpec(
        "quality_gate/checks/airbyte_meta.sql", (*_FAILING, *_BATCH), built_in=True
    ),
    "delete_share": CheckKindSpec(
        "quality_gate/checks/delete_share.sql", (*_FAILING, "max_delete_share"), built_in=True
    ),
    "late_rows": CheckKindSpec(
        "quality_gate/checks/late_rows.sql", (*_FAILING, "window_from_ns"), built_in=True
    ),
}
# dbt's generic tests, declared per stream, and the gate's own checks, run on every promoted stream: the enum
# of CHECK_KINDS' names (CheckKind.NOT_NULL is "not_null"), so that a new record is a new kind.
CheckKind = StrEnum("CheckKind", [(name.upper(), name) for name in CHECK_KINDS])  # type: ignore[misc]
DECLARABLE = tuple(kind for kind in CheckKind if not CHECK_KINDS[kind].built_in)


@dataclass(frozen=True)
class GateSettings:
    """The stack's settings of the gate's own checks: the delete guard, the overlap window, the meta check."""

    max_delete_share: float = 0.5
    overlap_minutes: int = 60
    meta_severity: Severity = Severity.ERROR


def snowflake_column(field: str) -> str:
    """The column Airbyte's Snowflake destination writes for a source field (it upper-cases names)."""
    return field.upper()


class QualityCheck(StrictModel):
    """One declared check, e.g. `{check: accepted_values, column: direction, values: [Inbound, Outbound]}`."""

    check: Annotated[CheckKind, one_of("check", DECLARABLE)]
    columns: tuple[SourceField, ...] = ()
    column: SourceField | None = None
    values: tuple[AcceptedValue, ...] = ()
    severity: Annotated[Severity, one_of("severity", Severity)] = Severity.ERROR

    @model_validator(mode="after")
    def _keys_fit_the_check(self) -> Self:
        spec = CHECK_KINDS[self.check]
        given = {key for key in ("columns", "column", "values") if getattr(self, key)}
        extra = sorted(given - spec.takes)
        if extra:
            raise ValueError(
                f"check {self.check.value} takes {sorted(spec.takes)} and severity; remove {extra}"
            )
        if spec.needs - given:
            why = spec.needs_why.format(column=self.column, values=list(self.values))
            raise ValueError(f"check {self.check.value} needs {' and '.join(sorted(spec.needs))}{why}")
        return self


@dataclass(frozen=True)
class GateCheck:
    """A check as the gate runs it: on Snowflake columns, one column for not_null and accepted_values."""

    kind: CheckKind
    columns: tuple[str, ...]
    severity: Severity
    values: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """`not_null(ID)`, `unique(CHANNEL_ID, TS)`: how results, failing rows and alerts name the check."""
        return f"{self.kind.value}({', '.join(self.columns)})"

    @property
    def blocks(self) -> bool:
        """Whether a failure holds the batch."""
        return self.severity is Severity.ERROR


def gate_checks(checks: Iterable[QualityCheck], primary_key: Sequence[str]) -> tuple[GateCheck, ...]:
    """The checks a stream runs; not_null is one check per column (as in dbt), unique defaults to the key."""
    key = tuple(snowflake_column(field) for field in primary_key)
    expanded: list[GateCheck] = []
    for check in checks:
        fields = check.columns or ((check.column,) if check.column else ())
        columns = tuple(snowflake_column(field) for field in fields) or key
        if CHECK_KINDS[check.check].per_column:
            expanded += [GateCheck(check.check, (column,), check.severity) for column in columns]
        else:
            expanded.append(GateCheck(check.check, columns, check.severity, check.values))
    names = [check.name for check in expanded]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"checks {duplicates} are declared more than once")
    return tuple(expanded)


def promoted_stream_checks(
    stream: str, primary_key: Sequence[Sequence[str]], cursor: Sequence[str], checks: Sequence[QualityCheck]
) -> tuple[GateCheck, ...]:
    """The checks of a promoted stream, refusing a key without not_null and unique or a nested key or cursor."""
    nested = [list(path) for path in (*primary_key, cursor) if len(path) != 1]
    if nested:
        raise ValueError(
            f"stream {stream!r} is promoted by primary key and cursor columns, so each must be one top-level "
            f"field; nested paths {nested} are not (Airbyte's Snowflake destination dedups on top-level columns)"
        )
    key = [path[0] for path in primary_key]
    for name in (stream, *key, cursor[0]):
        if not _is_plain_column(name):
            raise ValueError(
                f"stream {stream!r}: {name!r} does not land as a plain Snowflake table or column name "
                "(letters, digits, _ and $ only), so the gate cannot promote it"
            )
    resolved = gate_checks(checks, key)
    key_columns = tuple(snowflake_column(field) for field in key)
    required = [GateCheck(CheckKind.NOT_NULL, (column,), Severity.ERROR) for column in key_columns]
    required.append(GateCheck(CheckKind.UNIQUE, key_columns, Severity.ERROR))
    # The curated MERGE matches on the key, so a batch with a null or repeated key must never pass.
    blocking = {(check.kind, frozenset(check.columns)) for check in resolved if check.blocks}
    missing = [check.name for check in required if (check.kind, frozenset(check.columns)) not in blocking]
    if missing:
        raise ValueError(
            f"stream {stream!r} is promoted, so its checks must include not_null on every primaryKey field and "
            f"unique on the primaryKey {key}, with severity error; missing {missing} "
            f"(declared: {[f'{check.name} {check.severity.value}' for check in resolved]})"
        )
    return resolved


def built_in_checks(
    key_columns: Sequence[str], cursor_column: str, settings: GateSettings
) -> tuple[GateCheck, ...]:
    """The gate's own checks on a stream: Airbyte's typing changes, the delete guard, late rows beyond the window."""
    return (
        GateCheck(CheckKind.AIRBYTE_META, ("_AIRBYTE_META",), settings.meta_severity),
        GateCheck(CheckKind.DELETE_SHARE, tuple(key_columns), Severity.ERROR),
        # A row committed later than the window reaches back is past holding: it is reported, not promoted.
        GateCheck(CheckKind.LATE_ROWS, (cursor_column,), Severity.WARN),
    )


def require_enough_checks(counts: dict[str, int]) -> None:
    """A source is checked by at least MIN_CHECKS_PER_SOURCE checks across its promoted streams."""
    total = sum(counts.values())
    if total < MIN_CHECKS_PER_SOURCE:
        raise ValueError(
            f"streams declare {total} checks in all ({counts}); a source needs at least "
            f"{MIN_CHECKS_PER_SOURCE} (not_null counts once per column)"
        )


def _is_plain_column(field: str) -> bool:
    return bool(re.fullmatch(IDENTIFIER_PATTERN, snowflake_column(field)))
