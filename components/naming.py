"""Every Snowflake object name the platform uses, built in this one place."""

from dataclasses import dataclass

from components.config import WarehousePurpose


@dataclass(frozen=True)
class Naming:
    """Names derived from the stack's prefix and database, so stacks never collide in one account."""

    prefix: str
    database: str

    def warehouse(self, purpose: WarehousePurpose) -> str:
        """`SOPHIA_AI_ANALYTICS_WH`."""
        return f"{self.prefix}_{purpose.value}_WH"

    def resource_monitor(self, purpose: WarehousePurpose) -> str:
        """`SOPHIA_AI_ANALYTICS_MONITOR`."""
        return f"{self.prefix}_{purpose.value}_MONITOR"

    @staticmethod
    def raw_schema(source: str) -> str:
        """Where Airbyte lands a source, e.g. `GONG_DATA_RAW`."""
        return f"{source}_DATA_RAW"

    @staticmethod
    def curated_schema(source: str) -> str:
        """What passed the data-quality gate, e.g. `GONG_DATA`."""
        return f"{source}_DATA"

    def qualified(self, schema: str, name: str) -> str:
        """Fully qualified `DB.SCHEMA.NAME`, for statements that need it."""
        return f"{self.database}.{schema}.{name}"
