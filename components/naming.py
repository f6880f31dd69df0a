"""Every Snowflake object name the platform uses, built in this one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # naming sits below the config models, which use it: no import cycle at run time
    from components.config import FunctionalRole, WarehousePurpose


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

    def functional_role(self, role: FunctionalRole) -> str:
        """`SOPHIA_AI_APP_ROLE`."""
        return f"{self.prefix}_{role.value}_ROLE"

    @staticmethod
    def access_role(schema: str, level: str) -> str:
        """A database role such as `GONG_DATA_RAW_WRITE`, unique within the stack's database."""
        return f"{schema}_{level}"

    def qualified_database_role(self, schema: str, level: str) -> str:
        """`"DB"."ROLE"`: how grants name a database role."""
        return self.in_database(self.access_role(schema, level))

    def service_user(self, user: str) -> str:
        """`SOPHIA_AI_AIRBYTE_SVC`."""
        return f"{self.prefix}_{user}_SVC"

    def network_policy(self, user: str) -> str:
        """`SOPHIA_AI_AIRBYTE_NETWORK_POLICY`: one per service user."""
        return f"{self.prefix}_{user}_NETWORK_POLICY"

    @staticmethod
    def raw_schema(source: str) -> str:
        """Where Airbyte lands a source, e.g. `GONG_DATA_RAW`."""
        return f"{source}_DATA_RAW"

    @staticmethod
    def curated_schema(source: str) -> str:
        """What passed the data-quality gate, e.g. `GONG_DATA`."""
        return f"{source}_DATA"

    @staticmethod
    def quality_gate_procedure(source: str) -> str:
        """`QUALITY_GATE_GONG`: the stored procedure that gates a source's streams."""
        return f"QUALITY_GATE_{source}"

    @staticmethod
    def quality_gate_task(source: str) -> str:
        """`QUALITY_GATE_GONG_TASK`: the task that runs a source's gate after its sync."""
        return f"QUALITY_GATE_{source}_TASK"

    @staticmethod
    def quoted(*parts: str) -> str:
        """`"A"."B"`: how pulumi-snowflake wants identifiers in grants, tags and constraints."""
        return ".".join(f'"{part}"' for part in parts)

    def in_sql(self, *names: str) -> str:
        """`DB.SCHEMA.OBJECT`: an object of the stack's database as the files in sql/ name it (unquoted)."""
        return ".".join((self.database, *names))

    def in_database(self, *names: str) -> str:
        """`"DB"."SCHEMA"` or `"DB"."SCHEMA"."OBJECT"`: an object of the stack's database, quoted."""
        return self.quoted(self.database, *names)
