"""The knowledge tables' models: columns, keys, PII levels, tags and the names they derive."""

from collections.abc import Mapping
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from catalog.masking import MASKING_BODIES
from catalog.sql_files import SqlLiteral, SqlValue
from catalog.table_spec import ColumnSpec, SnowflakeType, TableSpec
from models.identifiers import SnowflakeComment, SnowflakeIdentifier
from models.naming import Naming
from models.tag_metadata import PiiLevel, SophiaMetadata, TagName, UpdateFrequency
from models.validation import listed_more_than_once, repeated

CREATED_AT = "CREATED_AT"
UPDATED_AT = "UPDATED_AT"

Comment = Annotated[SnowflakeComment, StringConstraints(min_length=1)]


class KnowledgeColumnSpec(ColumnSpec):
    """A knowledge column: also how sensitive its values are and whether it is the stable id."""

    comment: Comment
    pii_level: PiiLevel = PiiLevel.NONE
    is_primary_identifier: bool = False

    @model_validator(mode="after")
    def _maskable(self) -> Self:
        if self.pii_level.is_masked and self.type.base_type not in MASKING_BODIES:
            raise self._fail(
                f"pii_level {self.pii_level.value} must be masked, but no masking policy covers type "
                f"{self.type.value}; maskable types: {sorted(MASKING_BODIES)}"
            )
        return self


class KnowledgeTableSpec(TableSpec):
    """A table of the knowledge schema: a key, documentation and SOPHIA_AI_METADATA tags."""

    comment: Comment
    # The kind of knowledge the table holds, one table each: tags, search results and freshness name it.
    entity_type: TagName
    data_source: TagName
    update_frequency: UpdateFrequency
    columns: list[KnowledgeColumnSpec] = Field(min_length=1)
    primary_key: list[SnowflakeIdentifier] = Field(min_length=1)

    @model_validator(mode="after")
    def _taggable(self) -> Self:
        self.metadata_tag_value()
        for column in self.columns:
            self.column_metadata_tag_value(column.name)
        return self

    @property
    def vector_indexed_columns(self) -> list[str]:
        """Columns whose content is searchable by vector; here, the vectors themselves."""
        return [column.name for column in self.columns if column.type is SnowflakeType.VECTOR_768]

    def column(self, name: str) -> KnowledgeColumnSpec:
        """One column by name, with its PII level."""
        self._require_columns("column", [name])
        return next(column for column in self.columns if column.name == name)

    def metadata(self) -> SophiaMetadata:
        """The table's SOPHIA_AI_METADATA: as sensitive as its most sensitive column."""
        return SophiaMetadata(
            entity_type=self.entity_type,
            data_source=self.data_source,
            update_frequency=self.update_frequency,
            pii_level=PiiLevel.highest(column.pii_level for column in self.columns),
            vector_index=bool(self.vector_indexed_columns),
        )

    def column_metadata(self, column_name: str) -> SophiaMetadata:
        """A column's SOPHIA_AI_METADATA: the table's, with the column's own PII level and role."""
        column = self.column(column_name)
        return self.metadata().model_copy(
            update={
                "pii_level": column.pii_level,
                "vector_index": column.name in self.vector_indexed_columns,
                "is_primary_identifier": column.is_primary_identifier,
            }
        )

    def metadata_tag_value(self) -> str:
        """The table's tag value; raises if it exceeds Snowflake's 256-character limit."""
        return self.metadata().to_tag_value(self.name)

    def column_metadata_tag_value(self, column_name: str) -> str:
        """A column's tag value; raises if it exceeds Snowflake's 256-character limit."""
        return self.column_metadata(column_name).to_tag_value(f"{self.name}.{column_name}")


class EntityTableSpec(KnowledgeTableSpec):
    """A knowledge table: a stable id, search name and description, and the text it embeds."""

    search_name_column: SnowflakeIdentifier
    search_description_column: SnowflakeIdentifier
    embed_columns: list[SnowflakeIdentifier] = Field(min_length=1)

    @model_validator(mode="after")
    def _entity_rules(self) -> Self:
        identifiers = [column.name for column in self.columns if column.is_primary_identifier]
        if len(identifiers) != 1:
            raise self._fail(
                f"exactly one column must be is_primary_identifier: true (the stable id); found {identifiers}"
            )
        stable_id = self.column(identifiers[0])
        if stable_id.type is not SnowflakeType.VARCHAR or stable_id.name not in self.primary_key:
            raise self._fail(f"the stable id {stable_id.name} must be a VARCHAR in the primary_key")
        self._require_columns("search_name_column", [self.search_name_column])
        self._require_columns("search_description_column", [self.search_description_column])
        self._require_columns("embed_columns", self.embed_columns)
        if twice := listed_more_than_once("embed_columns", self.embed_columns):
            raise self._fail(twice)
        texts = [self.search_name_column, self.search_description_column, *self.embed_columns]
        not_text = sorted({name for name in texts if self.column(name).type is not SnowflakeType.VARCHAR})
        if not_text:
            raise self._fail(f"search and embed columns must be VARCHAR; {not_text} are not")
        if all(self.column(name).nullable for name in self.embed_columns):
            raise self._fail(
                f"at least one of embed_columns {self.embed_columns} must be nullable: false, "
                "so the embedded text is never empty"
            )
        masked = [name for name in self.embed_columns if self.column(name).pii_level.is_masked]
        if masked:
            raise self._fail(
                f"embed_columns {masked} hold high or sensitive PII: their vectors would leak what masking hides"
            )
        for name in (CREATED_AT, UPDATED_AT):
            self._require_columns("timestamps", [name])
            timestamp = self.column(name)
            if timestamp.type is not SnowflakeType.TIMESTAMP_NTZ or timestamp.nullable:
                raise self._fail(f"{name} must be a TIMESTAMP_NTZ declared nullable: false")
        self.embeddings_table()
        return self

    @property
    def id_column(self) -> str:
        """The stable id: the one column marked is_primary_identifier."""
        return next(column.name for column in self.columns if column.is_primary_identifier)

    @property
    def vector_indexed_columns(self) -> list[str]:
        """Columns whose text is embedded, so vector search finds the row by them."""
        return list(self.embed_columns)

    @property
    def embeddings_table_name(self) -> str:
        """Vectors live apart from the entity, so writing them never puts rows in the entity's stream."""
        return Naming.embeddings_table(self.name)

    @property
    def stream_name(self) -> str:
        """The standard stream on the entity table (inserts, updates and deletes)."""
        return Naming.stream(self.name)

    @property
    def task_name(self) -> str:
        """The scheduled task that embeds what the stream reports."""
        return Naming.embed_task(self.name)

    def embeddings_table(self) -> KnowledgeTableSpec:
        """The embeddings table, declared like any other so it gets the same DDL, tags and checks."""
        embedded_pii = PiiLevel.highest(self.column(name).pii_level for name in self.embed_columns)
        return KnowledgeTableSpec(
            name=self.embeddings_table_name,
            comment=f"Cortex embeddings of {self.name} text, written only by {self.task_name}",
            entity_type=self.entity_type,
            data_source="snowflake_cortex",
            update_frequency=self.update_frequency,
            columns=[
                KnowledgeColumnSpec(
                    name="ENTITY_ID",
                    type=SnowflakeType.VARCHAR,
                    comment=f"{self.id_column} of the embedded row",
                    nullable=False,
                    is_primary_identifier=True,
                ),
                KnowledgeColumnSpec(
                    name="TEXT_HASH",
                    type=SnowflakeType.VARCHAR,
                    comment="SHA-256 of the embedded text: unchanged text is not embedded again",
                    nullable=False,
                ),
                KnowledgeColumnSpec(
                    name="EMBEDDING",
                    type=SnowflakeType.VECTOR_768,
                    comment="EMBED_TEXT_768 vector of the text",
                    nullable=False,
                    pii_level=embedded_pii,
                ),
                KnowledgeColumnSpec(
                    name="MODEL",
                    type=SnowflakeType.VARCHAR,
                    comment="Cortex model that produced the vector",
                    nullable=False,
                ),
                KnowledgeColumnSpec(
                    name="EMBEDDED_AT",
                    type=SnowflakeType.TIMESTAMP_NTZ,
                    comment="When the vector was computed, UTC",
                    nullable=False,
                ),
            ],
            primary_key=["ENTITY_ID"],
        )

    def sql_values(self, knowledge_schema: str) -> dict[str, SqlValue]:
        """Every name the per-entity SQL files take, from this one declaration."""
        return {
            "entity_type": SqlLiteral(self.entity_type),
            "knowledge_schema": knowledge_schema,
            "table": self.name,
            "embeddings_table": self.embeddings_table_name,
            "stream": self.stream_name,
            "id_column": self.id_column,
            "name_column": self.search_name_column,
            "description_column": self.search_description_column,
            "embed_columns": tuple(self.embed_columns),
        }


class FoundationalCatalog(BaseModel):
    """All knowledge tables; the single source for DDL, tags, streams, tasks, views and SQL tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tables: list[EntityTableSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [table.name for table in self.tables]
        if twice := listed_more_than_once("tables", names):
            raise ValueError(twice)
        derived = {t.embeddings_table_name for t in self.tables} | {t.stream_name for t in self.tables}
        clashes = sorted(derived & set(names))
        if clashes:
            raise ValueError(f"tables {clashes} clash with the embeddings table or stream of another table")
        shared = repeated(table.entity_type for table in self.tables)
        if shared:
            raise ValueError(f"entity types {shared} are used by more than one table")
        return self

    def table(self, name: str) -> EntityTableSpec:
        """One table by name, or an error listing the tables there are."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"no table {name!r} in the catalog; tables: {[t.name for t in self.tables]}")

    def with_pii_overrides(self, overrides: Mapping[str, str]) -> "FoundationalCatalog":
        """A copy with `TABLE.COLUMN: level` overrides applied and every rule checked again."""
        raw = self.model_dump(mode="json")
        tables = {table["name"]: table for table in raw["tables"]}
        for key, level in overrides.items():
            table_name, _, column_name = key.partition(".")
            if table_name not in tables:
                raise ValueError(
                    f"PII override {key!r} names table {table_name!r}, which is not in the catalog; "
                    f"tables: {sorted(tables)}"
                )
            columns = {column["name"]: column for column in tables[table_name]["columns"]}
            if column_name not in columns:
                raise ValueError(
                    f"PII override {key!r} names column {column_name!r}, which is not in {table_name}; "
                    f"columns: {list(columns)}"
                )
            columns[column_name]["pii_level"] = level
        return FoundationalCatalog.model_validate(raw)
