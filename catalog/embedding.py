"""Cortex embeddings: which models fit VECTOR(FLOAT, 768), how often tasks run, and what each task runs."""

from enum import StrEnum

from pydantic import field_validator

from catalog.sql_files import render_sql
from catalog.tables import EntityTableSpec
from models.schedules import Schedule
from models.strict_model import StrictModel


class EmbeddingModel(StrEnum):
    """The models for which SNOWFLAKE.CORTEX.EMBED_TEXT_768 returns 768 values (Snowflake docs)."""

    SNOWFLAKE_ARCTIC_EMBED_M_V1_5 = "snowflake-arctic-embed-m-v1.5"
    SNOWFLAKE_ARCTIC_EMBED_M = "snowflake-arctic-embed-m"
    E5_BASE_V2 = "e5-base-v2"


# Named only to explain the refusal: these are EMBED_TEXT_1024 models and would not fit VECTOR(FLOAT, 768).
_EMBED_TEXT_1024_MODELS = frozenset(
    {
        "snowflake-arctic-embed-l-v2.0",
        "snowflake-arctic-embed-l-v2.0-8k",
        "nv-embed-qa-4",
        "multilingual-e5-large",
        "voyage-multilingual-2",
    }
)


class EmbeddingConfig(StrictModel):
    """Which Cortex model embeds the knowledge tables, and how often the embedding tasks run."""

    model: EmbeddingModel = EmbeddingModel.E5_BASE_V2
    schedule: str = "60 MINUTES"

    @field_validator("model", mode="before")
    @classmethod
    def _produces_768_values(cls, value: object) -> object:
        allowed = [model.value for model in EmbeddingModel]
        if value in allowed:
            return value
        why = (
            "an EMBED_TEXT_1024 model: it returns 1024 values"
            if value in _EMBED_TEXT_1024_MODELS
            else "not a Cortex EMBED_TEXT_768 model"
        )
        raise ValueError(
            f"embedding model {value!r} is {why}; VECTOR(FLOAT, 768) needs one of the EMBED_TEXT_768 "
            f"models {allowed}"
        )

    @field_validator("schedule")
    @classmethod
    def _snowflake_schedule(cls, value: str) -> str:
        return Schedule.parse(value).text

    def schedule_args(self) -> dict[str, int | str]:
        """The schedule as pulumi-snowflake's Task `schedule` block takes it."""
        return Schedule.parse(self.schedule).task_args()


def embed_task_statement(table: EntityTableSpec, knowledge_schema: str, model: EmbeddingModel) -> str:
    """The task body: a MERGE from the stream that embeds only new or changed text."""
    return render_sql("tasks/embed_entity.sql", **table.sql_values(knowledge_schema), model=model)


def embed_task_condition(table: EntityTableSpec, knowledge_schema: str) -> str:
    """The task's WHEN: skipped runs resume no warehouse, so a quiet hour costs nothing."""
    return render_sql("tasks/embed_entity_when.sql", **table.sql_values(knowledge_schema))
