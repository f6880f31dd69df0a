"""Typed `security` stack config: row access restrictions, credential lifecycle, logging levels."""

from collections.abc import Sequence

from pydantic import Field, model_validator

from catalog.tables import FoundationalCatalog
from models.access_matrix import OWNER_ROLE
from models.enums import FunctionalRole
from models.identifiers import SnowflakeIdentifier
from models.schedules import Schedule
from models.security import PAT_MAX_DAYS, AuthenticationMethod, LogLevel, TraceLevel
from models.strict_model import StrictModel
from models.validation import not_allowed
from stack.keys import RsaPublicKey

SECURITY_KEY = "security"


class RowAccessRestriction(StrictModel):
    """Which knowledge tables and curated streams one row access policy protects, by which column, who sees all."""

    tables: list[SnowflakeIdentifier] = Field(default_factory=list)
    # `SOURCE.stream` of a promoted stream: the gate attaches the policy to its curated table on creation.
    streams: list[str] = Field(default_factory=list)
    column: SnowflakeIdentifier
    see_all_roles: list[FunctionalRole] = Field(default_factory=lambda: [FunctionalRole.ADMIN])

    @model_validator(mode="after")
    def _protects_something(self) -> "RowAccessRestriction":
        if not self.tables and not self.streams:
            raise ValueError("a row access restriction names at least one of tables or streams")
        return self


class TokenConfig(StrictModel):
    """A service user's programmatic access token: its lifetime, and a keeper whose change rotates it."""

    days_to_expiry: int = Field(ge=1, le=PAT_MAX_DAYS)
    rotation: SnowflakeIdentifier = "INITIAL"


class CredentialsConfig(StrictModel):
    """Second keys for rotation, tokens, and when keys and tokens count as about to expire."""

    second_public_keys: dict[SnowflakeIdentifier, RsaPublicKey] = Field(default_factory=dict)
    tokens: dict[SnowflakeIdentifier, TokenConfig] = Field(default_factory=dict)
    max_token_days: int = Field(default=90, ge=1, le=PAT_MAX_DAYS)
    # Snowflake key pairs never expire by themselves: the house rotates them by this age.
    max_key_age_days: int = Field(default=180, ge=30, le=730)
    expiry_warning_days: int = Field(default=14, ge=1, le=90)
    login_lookback_hours: int = Field(default=26, ge=1, le=168)
    alert_schedule: str = "USING CRON 0 7 * * * UTC"

    @model_validator(mode="after")
    def _tokens_within_maximum(self) -> "CredentialsConfig":
        for user, token in self.tokens.items():
            if token.days_to_expiry > self.max_token_days:
                raise ValueError(
                    f"security.credentials.tokens.{user}.daysToExpiry is {token.days_to_expiry}; "
                    f"allowed: 1 to maxTokenDays ({self.max_token_days})"
                )
        Schedule.parse(self.alert_schedule)
        return self


class LoggingConfig(StrictModel):
    """What procedures and tasks in the database write to its event table."""

    log_level: LogLevel = LogLevel.INFO
    trace_level: TraceLevel = TraceLevel.ON_EVENT


class SecurityConfig(StrictModel):
    """Row-level security, credential lifecycle and the event table's levels of one stack."""

    row_access: dict[SnowflakeIdentifier, RowAccessRestriction] = Field(default_factory=dict)
    credentials: CredentialsConfig = Field(default_factory=CredentialsConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)

    def methods(self, user: str) -> list[AuthenticationMethod]:
        """How a service user may sign in: key pair always, a token only where one is declared."""
        if user in self.credentials.tokens:
            return [AuthenticationMethod.KEYPAIR, AuthenticationMethod.PROGRAMMATIC_ACCESS_TOKEN]
        return [AuthenticationMethod.KEYPAIR]

    def check_against(
        self, catalog: FoundationalCatalog, service_users: list[str], promoted: Sequence[str] = ()
    ) -> None:
        """Restricted tables and columns exist in the catalog, restricted streams are promoted (`SOURCE.stream`);
        keys and tokens name declared service users."""
        tables = {table.name: table for table in catalog.tables}
        protected: dict[str, str] = {}
        for name, restriction in self.row_access.items():
            if restriction.streams and OWNER_ROLE not in restriction.see_all_roles:
                # A policy filters its table's owner too (Understanding row access policies): the gate merges
                # into curated as the owner, and a MERGE that cannot see a row inserts it again.
                raise not_allowed(
                    f"{SECURITY_KEY}.rowAccess.{name}.seeAllRoles",
                    [role.value for role in restriction.see_all_roles],
                    [f"a list with {OWNER_ROLE.value}"],
                    ", as the gate promotes restricted streams as that role",
                )
            for stream in restriction.streams:
                if stream not in promoted:
                    raise not_allowed(f"{SECURITY_KEY}.rowAccess.{name}.streams", stream, sorted(promoted))
                if stream in protected:
                    raise ValueError(
                        f"{SECURITY_KEY}.rowAccess: {stream} is restricted by both {protected[stream]} and "
                        f"{name}; Snowflake attaches at most one row access policy to a table"
                    )
                protected[stream] = name
            for table in restriction.tables:
                if table not in tables:
                    raise not_allowed(f"{SECURITY_KEY}.rowAccess.{name}.tables", table, sorted(tables))
                columns = tables[table].column_names
                if restriction.column not in columns:
                    raise not_allowed(f"{SECURITY_KEY}.rowAccess.{name}.column", restriction.column, columns)
                if table in protected:
                    # Snowflake allows one row access policy per table or view (CREATE ROW ACCESS POLICY).
                    raise ValueError(
                        f"{SECURITY_KEY}.rowAccess: {table} is restricted by both {protected[table]} and {name}; "
                        "Snowflake attaches at most one row access policy to a table"
                    )
                protected[table] = name
        credentials = self.credentials
        for key, users in (
            ("secondPublicKeys", credentials.second_public_keys),
            ("tokens", credentials.tokens),
        ):
            for user in users:
                if user not in service_users:
                    raise not_allowed(f"{SECURITY_KEY}.credentials.{key}.{user}", user, service_users)
