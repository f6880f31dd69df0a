"""The Snowflake account the stack deploys to, who deploys, and the database it owns there."""

from typing import Self

from pydantic import Field, model_validator

from models.enums import Authenticator
from models.identifiers import SnowflakeComment, SnowflakeIdentifier
from models.strict_model import StrictModel


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
        if self.critical_retention_days < self.retention_days:
            raise ValueError(
                f"criticalRetentionDays ({self.critical_retention_days}) must be at least "
                f"retentionDays ({self.retention_days})"
            )
        return self
