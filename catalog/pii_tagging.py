"""The PII tagging task's body: the metadata tag on each stream's RAW and curated table, PII_LEVEL on its PII columns."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from catalog.sql_files import SqlFragment, render_fragment, render_sql
from models.naming import METADATA_TAG, PII_TAG, TAG_SCHEMA, Naming
from models.quality_gate import snowflake_column
from models.tag_metadata import PiiLevel, SophiaMetadata, UpdateFrequency

# A stream that declares no PII columns may still hold people's data: its tables keep what their schemas'
# tags say of RAW and curated SaaS data (components.governance.SCHEMA_METADATA), not "none".
UNDECLARED_PII_LEVEL = PiiLevel.HIGH


class TaggableStream(Protocol):
    """What the tagging task reads of a stream's config (stack.airbyte.config.StreamConfig)."""

    name: str
    entity_type: str | None
    pii_columns: Mapping[str, PiiLevel]


@dataclass(frozen=True)
class TaggedStream:
    """One stream's tables as Airbyte's destination names them, their entity type and PII columns by level."""

    source: str
    table: str
    entity_type: str
    pii_columns: Mapping[str, PiiLevel]
    promoted: bool

    @classmethod
    def from_config(cls, source: str, stream: TaggableStream, promoted: bool) -> "TaggedStream":
        """Table and columns upper-cased as Airbyte's Snowflake destination writes them (SnowflakeNamingUtils.kt)."""
        return cls(
            source=source,
            table=snowflake_column(stream.name),
            entity_type=stream.entity_type or stream.name.lower(),
            pii_columns={snowflake_column(field): level for field, level in stream.pii_columns.items()},
            promoted=promoted,
        )

    def schemas(self) -> list[str]:
        """RAW always; curated when the gate promotes the stream there."""
        curated = [Naming.curated_schema(self.source)] if self.promoted else []
        return [Naming.raw_schema(self.source), *curated]

    def metadata(self) -> SophiaMetadata:
        """As the schemas' tags say (Airbyte syncs hourly by default), with the PII level of its worst column."""
        declared = self.pii_columns.values()
        return SophiaMetadata(
            entity_type=self.entity_type,
            data_source=self.source.lower(),
            update_frequency=UpdateFrequency.HOURLY,
            pii_level=PiiLevel.highest(declared) if declared else UNDECLARED_PII_LEVEL,
            vector_index=False,
        )


@dataclass(frozen=True)
class TaggingStep:
    """One lookup of whether a table or column exists, and the SET TAG run when it does."""

    lookup: SqlFragment
    statement: SqlFragment


def tagging_steps(naming: Naming, streams: Sequence[TaggedStream]) -> list[TaggingStep]:
    """Per stream and schema: the table's metadata tag, then each declared PII column's PII_LEVEL."""
    information_schema = naming.in_database_unquoted("INFORMATION_SCHEMA")
    steps = []
    for stream in streams:
        for schema in stream.schemas():
            where = {
                "information_schema": information_schema,
                "schema_name": schema,
                "table_name": stream.table,
            }
            table = naming.in_database_unquoted(schema, stream.table)
            metadata = stream.metadata().to_tag_value(table)
            steps.append(
                TaggingStep(
                    render_fragment("tagging/lookup_table.sql", **where),
                    render_fragment(
                        "tagging/set_table_tag.sql",
                        table=table,
                        metadata_tag=naming.in_database_unquoted(TAG_SCHEMA, METADATA_TAG),
                        metadata=metadata,
                    ),
                )
            )
            steps += [
                TaggingStep(
                    render_fragment("tagging/lookup_column.sql", **where, column_name=column),
                    render_fragment(
                        "tagging/set_column_tag.sql",
                        table=table,
                        column=column,
                        pii_tag=naming.in_database_unquoted(TAG_SCHEMA, PII_TAG),
                        pii_level=level,
                    ),
                )
                for column, level in sorted(stream.pii_columns.items())
            ]
    return steps


def tagging_task_body(naming: Naming, streams: Sequence[TaggedStream]) -> str:
    """The Snowflake Scripting block a source's tagging task runs."""
    steps = [
        render_fragment("tagging/step.sql", lookup=step.lookup, statement=step.statement)
        for step in tagging_steps(naming, streams)
    ]
    # Statements one after another: each step is a rendered file, so their concatenation is too.
    return render_sql("tagging/task_body.sql", steps=SqlFragment("\n    ".join(steps)))
