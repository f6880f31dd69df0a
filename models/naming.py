"""Every Snowflake object name the platform uses, built in this one place."""

from dataclasses import dataclass

from models.enums import FunctionalRole, WarehousePurpose


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
    def quoted(*parts: str) -> str:
        """`"A"."B"`: how pulumi-snowflake wants identifiers in grants, tags and constraints."""
        return ".".join(f'"{part}"' for part in parts)

    def in_database(self, *names: str) -> str:
        """`"DB"."SCHEMA"` or `"DB"."SCHEMA"."OBJECT"`: an object of the stack's database, quoted."""
        return self.quoted(self.database, *names)
