"""The fixed sets of values the stack config and the components share."""

from enum import StrEnum


class Environment(StrEnum):
    """Kind of stack; only prod protects stateful resources."""

    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"


class WarehouseSize(StrEnum):
    """Warehouse sizes, spelled as pulumi-snowflake's `warehouse_size` accepts them."""

    XSMALL = "XSMALL"
    SMALL = "SMALL"
    MEDIUM = "MEDIUM"
    LARGE = "LARGE"
    XLARGE = "XLARGE"
    XXLARGE = "XXLARGE"
    XXXLARGE = "XXXLARGE"
    X4LARGE = "X4LARGE"
    X5LARGE = "X5LARGE"
    X6LARGE = "X6LARGE"

    @property
    def credits_per_hour(self) -> int:
        """Standard-warehouse credits per hour per cluster: doubles with each size."""
        return 2 ** list(WarehouseSize).index(self)


class ScalingPolicy(StrEnum):
    """Multi-cluster scaling policies accepted by pulumi-snowflake."""

    STANDARD = "STANDARD"
    ECONOMY = "ECONOMY"


class WarehousePurpose(StrEnum):
    """The four workloads of the platform, each with its own warehouse."""

    ANALYTICS = "ANALYTICS"
    ETL = "ETL"
    ML = "ML"
    REALTIME = "REALTIME"


class Authenticator(StrEnum):
    """How the deploying user signs in: no passwords, ever."""

    PROGRAMMATIC_ACCESS_TOKEN = "PROGRAMMATIC_ACCESS_TOKEN"
    SNOWFLAKE_JWT = "SNOWFLAKE_JWT"


class FunctionalRole(StrEnum):
    """The account roles people and services act as; access roles are granted to these."""

    APP = "APP"
    ETL = "ETL"
    ADMIN = "ADMIN"
    # The webhook receiver's (sophia receiver serve): it runs the gate tasks and reaches no data. Its Snowflake
    # name keeps the receiver's first word: a role renames in place (ALTER ROLE ... RENAME TO, provider
    # pkg/resources/account_role.go), but every grant to it names it in account_role_name, which is ForceNew
    # (grant_privileges_to_account_role.go), so a rename would revoke and re-grant all the receiver holds.
    HOOKS = "HOOKS"


class AlertChannel(StrEnum):
    """Where the data-quality alerts go: the webhooks Snowflake sends to, or e-mail (notification docs)."""

    SLACK = "slack"
    TEAMS = "teams"
    PAGERDUTY = "pagerduty"
    EMAIL = "email"

    @property
    def is_webhook(self) -> bool:
        """Webhooks take a WEBHOOK notification integration and a secret; e-mail takes recipients."""
        return self is not AlertChannel.EMAIL
