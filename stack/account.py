"""The Snowflake account the stack deploys to, who deploys, and the database it owns there."""

from typing import Self

from pydantic import Field, model_validator

from models.enums import Authenticator
from models.identifiers import SnowflakeComment, SnowflakeIdentifier
from models.strict_model import StrictModel
from models.validation import at_least


class SnowflakeAccountConfig(StrictModel):
    """Which account to deploy to and as whom; usually supplied by a Pulumi ESC environment."""

    organization_name: SnowflakeIdentifier
    account_name: SnowflakeIdentifier
    user: SnowflakeIdentifier
    authenticator: Authenticator = Authenticator.PROGRAMMATIC_ACCESS_TOKEN


class DatabaseConfig(StrictModel):
    """The stack's database and its Time Travel retention."""

    name: SnowflakeIdentifier
    retention_days: int = Field(default=1, ge=1, le=90)
    critical_retention_days: int = Field(default=1, ge=1, le=90)
    comment: SnowflakeComment = "Sophia AI data platform"

    @model_validator(mode="after")
    def _critical_at_least_default(self) -> Self:
        at_least("criticalRetentionDays", self.critical_retention_days, "retentionDays", self.retention_days)
        return self
