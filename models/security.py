"""Security vocabulary shared by the config, the components and the policy pack: levels, methods, viewers."""

from enum import StrEnum


class LogLevel(StrEnum):
    """LOG_LEVEL values pulumi-snowflake's Database accepts (database.py docstring, LOG_LEVEL docs)."""

    TRACE = "TRACE"
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"
    FATAL = "FATAL"
    OFF = "OFF"


class TraceLevel(StrEnum):
    """TRACE_LEVEL values pulumi-snowflake's Database accepts (database.py docstring, TRACE_LEVEL docs)."""

    ALWAYS = "ALWAYS"
    ON_EVENT = "ON_EVENT"
    PROPAGATE = "PROPAGATE"
    OFF = "OFF"


class AuthenticationMethod(StrEnum):
    """An authentication policy's AUTHENTICATION_METHODS a service user may need (authentication_policy.py)."""

    KEYPAIR = "KEYPAIR"
    PROGRAMMATIC_ACCESS_TOKEN = "PROGRAMMATIC_ACCESS_TOKEN"

    @property
    def login_factor(self) -> str:
        """How LOGIN_HISTORY.FIRST_AUTHENTICATION_FACTOR names a sign-in by this method (LOGIN_HISTORY docs)."""
        return {"KEYPAIR": "RSA_KEYPAIR", "PROGRAMMATIC_ACCESS_TOKEN": "PROGRAMMATIC_ACCESS_TOKEN"}[
            self.value
        ]


class AccountUsageView(StrEnum):
    """The SNOWFLAKE.ACCOUNT_USAGE views the audit trail reads."""

    ACCESS_HISTORY = "ACCESS_HISTORY"
    LOGIN_HISTORY = "LOGIN_HISTORY"
    QUERY_HISTORY = "QUERY_HISTORY"
    GRANTS_TO_ROLES = "GRANTS_TO_ROLES"
    GRANTS_TO_USERS = "GRANTS_TO_USERS"
    CREDENTIALS = "CREDENTIALS"


# Which SNOWFLAKE database role holds SELECT on each view (Snowflake docs, "SNOWFLAKE database roles",
# table "Database role required to access ACCOUNT_USAGE views"), and how stale each view may be (each
# view's usage notes): the audit views say so where they stand.
VIEWER_ROLE = {
    AccountUsageView.ACCESS_HISTORY: "GOVERNANCE_VIEWER",
    AccountUsageView.QUERY_HISTORY: "GOVERNANCE_VIEWER",
    AccountUsageView.LOGIN_HISTORY: "SECURITY_VIEWER",
    AccountUsageView.GRANTS_TO_ROLES: "SECURITY_VIEWER",
    AccountUsageView.GRANTS_TO_USERS: "SECURITY_VIEWER",
    AccountUsageView.CREDENTIALS: "SECURITY_VIEWER",
}
LATENCY = {
    AccountUsageView.ACCESS_HISTORY: "up to 3 hours",
    AccountUsageView.QUERY_HISTORY: "up to 45 minutes",
    AccountUsageView.LOGIN_HISTORY: "up to 2 hours",
    AccountUsageView.GRANTS_TO_ROLES: "up to 2 hours",
    AccountUsageView.GRANTS_TO_USERS: "up to 2 hours",
    AccountUsageView.CREDENTIALS: "up to 2 hours",
}

# Snowflake's ceiling on a programmatic access token's DAYS_TO_EXPIRY (ALTER USER ... ADD PROGRAMMATIC
# ACCESS TOKEN: 1 to 365, default 15).
PAT_MAX_DAYS = 365
