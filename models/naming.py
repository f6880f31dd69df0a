"""Every Snowflake object name the platform uses, built in this one place."""

from dataclasses import dataclass

from models.enums import FunctionalRole, WarehousePurpose

# The fixed schemas of every stack's database.
KNOWLEDGE_SCHEMA = "FOUNDATIONAL_KNOWLEDGE"
SEMANTIC_SCHEMA = "SOPHIA_SEMANTIC"
INSIGHTS_SCHEMA = "SOPHIA_INSIGHTS"
ML_SCHEMA = "SOPHIA_ML"
OPS_SCHEMA = "SOPHIA_OPS"

# The platform's two tags, and the schema that holds them and their masking policies.
METADATA_TAG = "SOPHIA_AI_METADATA"
PII_TAG = "PII_LEVEL"
TAG_SCHEMA = OPS_SCHEMA


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
    def airbyte_internal_schema() -> str:
        """`AIRBYTE_INTERNAL`: the Airbyte destination's own tables, its `raw_data_schema`."""
        return "AIRBYTE_INTERNAL"

    @staticmethod
    def primary_key(table: str) -> str:
        """`PK_EMPLOYEES`: the primary-key constraint of a table."""
        return f"PK_{table}"

    @staticmethod
    def embeddings_table(table: str) -> str:
        """`EMPLOYEES_EMBEDDINGS`: where a knowledge table's vectors live, apart from the table itself."""
        return f"{table}_EMBEDDINGS"

    @staticmethod
    def stream(table: str) -> str:
        """`EMPLOYEES_STREAM`: the change stream on a knowledge table."""
        return f"{table}_STREAM"

    @staticmethod
    def embed_task(table: str) -> str:
        """`EMPLOYEES_EMBED_TASK`: the task that embeds what a table's stream reports."""
        return f"{table}_EMBED_TASK"

    @staticmethod
    def masking_policy(data_type: str) -> str:
        """`PII_MASK_VARCHAR`: the tag-based masking policy for one data type."""
        return f"PII_MASK_{data_type}"

    def airbyte_destination(self) -> str:
        """`SOPHIA_AI Snowflake`: the stack's Airbyte destination, by its Airbyte name."""
        return f"{self.prefix} Snowflake"

    def airbyte_source(self, source: str) -> str:
        """`SOPHIA_AI GONG`: an Airbyte source, by its Airbyte name."""
        return f"{self.prefix} {source}"

    def airbyte_connection(self, source: str) -> str:
        """`SOPHIA_AI GONG to Snowflake`: a source's Airbyte connection, by its Airbyte name."""
        return f"{self.prefix} {source} to Snowflake"

    @staticmethod
    def account_host(organization: str, account: str) -> str:
        """`org-account.snowflakecomputing.com`: the account's host, by organization and account name."""
        # Snowflake docs, "Account identifiers": the URL is <orgname>-<account_name>.snowflakecomputing.com.
        return f"{organization}-{account}.snowflakecomputing.com".lower()

    @staticmethod
    def quality_gate_procedure(source: str) -> str:
        """`QUALITY_GATE_GONG`: the stored procedure that gates a source's streams."""
        return f"QUALITY_GATE_{source}"

    @staticmethod
    def quality_gate_task(source: str) -> str:
        """`QUALITY_GATE_GONG_TASK`: the task that runs a source's gate after its sync."""
        return f"QUALITY_GATE_{source}_TASK"

    @staticmethod
    def pii_tagging_task(source: str) -> str:
        """`PII_TAGGING_GONG_TASK`: the task that tags a source's RAW and curated tables and PII columns."""
        return f"PII_TAGGING_{source}_TASK"

    def alert_integration(self) -> str:
        """`SOPHIA_AI_QUALITY_ALERTS`: the notification integration the gate's alerts send through.

        Integrations are account objects, so the stack's prefix keeps dev's and prod's apart.
        """
        return f"{self.prefix}_QUALITY_ALERTS"

    @staticmethod
    def alert_webhook_secret() -> str:
        """`QUALITY_ALERTS_WEBHOOK`: the secret holding the alert webhook's credential."""
        return "QUALITY_ALERTS_WEBHOOK"

    @staticmethod
    def row_access_policy(restriction: str) -> str:
        """`CUSTOMERS_BY_SEGMENT_ROW_ACCESS`: the row access policy of one declared restriction."""
        return f"{restriction}_ROW_ACCESS"

    def auditor_role(self) -> str:
        """`SOPHIA_AI_AUDITOR_ROLE`: reads the audit views and nothing else."""
        return f"{self.prefix}_AUDITOR_ROLE"

    def authentication_policy(self, user: str) -> str:
        """`SOPHIA_AI_AIRBYTE_AUTHENTICATION_POLICY`: the sign-in methods of one service user."""
        return f"{self.prefix}_{user}_AUTHENTICATION_POLICY"

    @staticmethod
    def access_token(user: str) -> str:
        """`AIRBYTE_PAT`: a service user's programmatic access token, unique per user."""
        return f"{user}_PAT"

    @staticmethod
    def quoted(*parts: str) -> str:
        """`"A"."B"`: how pulumi-snowflake wants identifiers in grants, tags and constraints."""
        return ".".join(f'"{part}"' for part in parts)

    def in_database(self, *names: str) -> str:
        """`"DB"."SCHEMA"` or `"DB"."SCHEMA"."OBJECT"`: an object of the stack's database, quoted."""
        return self.quoted(self.database, *names)

    def in_database_unquoted(self, *names: str) -> str:
        """`DB.SCHEMA.OBJECT`: how a SQL body names an object of the stack's database."""
        return ".".join((self.database, *names))
