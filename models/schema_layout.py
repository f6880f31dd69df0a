"""Which schemas the database holds, what each is for, and which data is critical."""

from dataclasses import dataclass
from enum import StrEnum

from models.naming import Naming


class SchemaKind(StrEnum):
    """What a schema is for; the access matrix and retention rules key on it."""

    FOUNDATIONAL = "foundational"
    SEMANTIC = "semantic"
    INSIGHTS = "insights"
    ML = "ml"
    OPS = "ops"
    RAW = "raw"
    CURATED = "curated"
    AIRBYTE_INTERNAL = "airbyte_internal"


@dataclass(frozen=True)
class SchemaSpec:
    """One schema: its name, its kind, and the source it belongs to, if any."""

    name: str
    kind: SchemaKind
    comment: str
    source: str | None = None

    @property
    def is_critical(self) -> bool:
        """Critical data gets the long Time Travel retention: knowledge and curated source data."""
        return self.kind in {SchemaKind.FOUNDATIONAL, SchemaKind.CURATED}


FIXED_SCHEMAS = (
    SchemaSpec("FOUNDATIONAL_KNOWLEDGE", SchemaKind.FOUNDATIONAL, "Entity tables and their embeddings"),
    SchemaSpec("SOPHIA_SEMANTIC", SchemaKind.SEMANTIC, "Views the application reads"),
    SchemaSpec("SOPHIA_INSIGHTS", SchemaKind.INSIGHTS, "Output of insight services"),
    SchemaSpec("SOPHIA_ML", SchemaKind.ML, "Output of ML services"),
    SchemaSpec(Naming.ops_schema(), SchemaKind.OPS, "Operational metadata: quality, freshness, tags"),
)


# The Snowflake destination keeps load and dedup tables of its own in `raw_data_schema` (default
# airbyte_internal) and creates that schema only if it is missing; declared here, the ETL role needs no
# CREATE SCHEMA (airbyte destination-snowflake: SnowflakeAirbyteClient.createNamespace, spec raw_data_schema).
AIRBYTE_INTERNAL_SCHEMA = SchemaSpec(
    Naming.airbyte_internal_schema(), SchemaKind.AIRBYTE_INTERNAL, "Airbyte's own load and dedup tables"
)


def schema_layout(sources: list[str]) -> list[SchemaSpec]:
    """The fixed schemas, then a RAW and a curated schema per Airbyte source and, with any, Airbyte's own."""
    per_source = [
        spec
        for source in sources
        for spec in (
            SchemaSpec(
                Naming.raw_schema(source), SchemaKind.RAW, f"Airbyte landing zone for {source}", source
            ),
            SchemaSpec(
                Naming.curated_schema(source), SchemaKind.CURATED, f"Quality-checked {source} data", source
            ),
        )
    ]
    return [*FIXED_SCHEMAS, *per_source, *([AIRBYTE_INTERNAL_SCHEMA] if sources else [])]
