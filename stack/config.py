"""Typed stack config: every key of Pulumi.<stack>.yaml, validated before any resource is declared."""

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, SecretStr, ValidationError, field_validator, model_validator

from catalog.embedding import EmbeddingConfig
from catalog.entity_mappings import EntityMappingSpec
from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.notification_integration import WebhookTarget, webhook_target
from catalog.tables import FoundationalCatalog
from models.enums import (
    AlertChannel,
    Authenticator,
    Environment,
    FunctionalRole,
    ScalingPolicy,
    WarehousePurpose,
    WarehouseSize,
)
from models.identifiers import SnowflakeComment, SnowflakeIdentifier
from models.strict_model import StrictModel
from models.tag_metadata import PiiLevel
from models.validation import explain, listed_more_than_once, not_allowed
from stack.airbyte.config import AirbyteConfig
from stack.entities import EntityMapping, check_entity_mappings
from stack.keys import RsaPublicKey
from stack.quality_gate import SECRETS_KEY as GATE_SECRETS_KEY
from stack.quality_gate import QualityGateConfig, QualityGateSecrets
from stack.security import SecurityConfig
from stack.semantic import SemanticConfig


def _ip_or_cidr(value: str) -> str:
    """Network policies take IPv4 addresses or CIDR ranges; anything else is refused."""
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 address or CIDR range such as 192.0.2.0/24") from None


# The service users the stack's own services sign in as, by their key in serviceUsers.
AIRBYTE_USER = "AIRBYTE"
RECEIVER_USER = "HOOKS"  # the webhook receiver, sophia receiver serve; named as FunctionalRole.HOOKS says

IpOrCidr = Annotated[str, AfterValidator(_ip_or_cidr)]


class ServiceUserConfig(StrictModel):
    """A TYPE = SERVICE user: key-pair only, one functional role, reachable only from allowed IPs."""

    functional_role: FunctionalRole
    allowed_ips: list[IpOrCidr] = Field(min_length=1)
    comment: SnowflakeComment = ""


class WarehouseConfig(StrictModel):
    """One warehouse: size, suspension and the monthly credit quota of its monitor."""

    size: WarehouseSize
    monthly_credit_quota: int = Field(gt=0, le=100_000)
    auto_suspend_seconds: int = Field(default=60, ge=60, le=3600)
    min_cluster_count: int = Field(default=1, ge=1, le=10)
    max_cluster_count: int = Field(default=1, ge=1, le=10)
    scaling_policy: ScalingPolicy = ScalingPolicy.STANDARD
    comment: SnowflakeComment = ""

    @model_validator(mode="after")
    def _clusters_ordered(self) -> "WarehouseConfig":
        if self.min_cluster_count > self.max_cluster_count:
            raise ValueError(
                f"minClusterCount ({self.min_cluster_count}) must not exceed "
                f"maxClusterCount ({self.max_cluster_count})"
            )
        return self

    @property
    def is_multi_cluster(self) -> bool:
        """Multi-cluster auto-scaling is on only when more than one cluster may run."""
        return self.max_cluster_count > 1


class ResourceMonitorConfig(StrictModel):
    """Thresholds shared by every warehouse's resource monitor, as % of its credit quota."""

    notify_at_percent: list[int] = Field(default=[50, 75, 90], min_length=1)
    suspend_at_percent: int = Field(default=100, ge=1, le=1000)
    suspend_immediately_at_percent: int = Field(default=110, ge=1, le=1000)
    notify_users: list[SnowflakeIdentifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _thresholds_ascend(self) -> "ResourceMonitorConfig":
        if sorted(set(self.notify_at_percent)) != self.notify_at_percent:
            raise ValueError(f"notifyAtPercent must be strictly ascending, got {self.notify_at_percent}")
        if self.notify_at_percent[0] < 1 or self.notify_at_percent[-1] >= self.suspend_at_percent:
            raise ValueError(
                f"notifyAtPercent must lie between 1 and suspendAtPercent ({self.suspend_at_percent}), "
                f"got {self.notify_at_percent}"
            )
        if self.suspend_immediately_at_percent <= self.suspend_at_percent:
            raise ValueError(
                f"suspendImmediatelyAtPercent ({self.suspend_immediately_at_percent}) must be above "
                f"suspendAtPercent ({self.suspend_at_percent})"
            )
        return self


class DatabaseConfig(StrictModel):
    """The stack's database and its Time Travel retention."""

    name: SnowflakeIdentifier
    retention_days: int = Field(default=1, ge=1, le=90)
    critical_retention_days: int = Field(default=1, ge=1, le=90)
    comment: SnowflakeComment = "Sophia AI data platform"

    @model_validator(mode="after")
    def _critical_at_least_default(self) -> "DatabaseConfig":
        if self.critical_retention_days < self.retention_days:
            raise ValueError(
                f"criticalRetentionDays ({self.critical_retention_days}) must be at least "
                f"retentionDays ({self.retention_days})"
            )
        return self


class SnowflakeAccountConfig(StrictModel):
    """Which account to deploy to and as whom; usually supplied by a Pulumi ESC environment."""

    organization_name: SnowflakeIdentifier
    account_name: SnowflakeIdentifier
    user: SnowflakeIdentifier
    authenticator: Authenticator = Authenticator.PROGRAMMATIC_ACCESS_TOKEN


class EmbeddingSettings(EmbeddingConfig):
    """The Cortex model and task schedule, and which warehouse the embedding tasks run on."""

    warehouse: Literal[WarehousePurpose.ML, WarehousePurpose.ETL] = WarehousePurpose.ML


class StackConfig(StrictModel):
    """The whole stack, as read from the project's config namespace."""

    environment: Environment
    name_prefix: SnowflakeIdentifier = "SOPHIA_AI"
    snowflake_account: SnowflakeAccountConfig
    snowflake_token: SecretStr | None = None
    snowflake_private_key: SecretStr | None = None
    database: DatabaseConfig
    warehouses: dict[WarehousePurpose, WarehouseConfig]
    resource_monitors: ResourceMonitorConfig = ResourceMonitorConfig()
    # A stack without Airbyte lists its sources here; with Airbyte they are `airbyte.sources` (see `sources`).
    listed_sources: list[SnowflakeIdentifier] | None = Field(default=None, alias="sources", max_length=200)
    service_users: dict[SnowflakeIdentifier, ServiceUserConfig] = Field(default_factory=dict)
    service_public_keys: dict[SnowflakeIdentifier, RsaPublicKey] = Field(default_factory=dict)
    pii_allowed_roles: list[FunctionalRole] = Field(default_factory=lambda: [FunctionalRole.ADMIN])
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    airbyte: AirbyteConfig | None = None
    quality_gate: QualityGateConfig | None = None
    quality_gate_secrets: QualityGateSecrets | None = None
    pii_overrides: dict[str, PiiLevel] = Field(default_factory=dict)
    # An inventory file (`sophia inventory`) whose objects the stack adopts with Pulumi's `import` option.
    adopt_from: str | None = Field(default=None, min_length=1)
    entity_mappings: list[EntityMapping] = Field(default_factory=list, max_length=200)
    semantic: SemanticConfig = Field(default_factory=SemanticConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)

    @model_validator(mode="after")
    def _security_names_what_exists(self) -> "StackConfig":
        sources = self.airbyte.sources if self.airbyte else {}
        # A row access restriction names a promoted stream as `SOURCE.stream`, the stream as airbyte declares it.
        promoted = [f"{source}.{s.name}" for source, spec in sources.items() for s in spec.promoted_configs()]
        self.security.check_against(self.catalog, list(self.service_users), promoted)
        return self

    @field_validator("pii_allowed_roles")
    @classmethod
    def _pii_roles_read_data(cls, roles: list[FunctionalRole]) -> list[FunctionalRole]:
        if FunctionalRole.HOOKS in roles:
            raise not_allowed(
                "piiAllowedRoles",
                FunctionalRole.HOOKS.value,
                [role.value for role in FunctionalRole if role is not FunctionalRole.HOOKS],
                " (the webhook receiver's role reads no data)",
            )
        return roles

    @field_validator("pii_overrides")
    @classmethod
    def _overrides_name_catalog_columns(cls, overrides: dict[str, PiiLevel]) -> dict[str, PiiLevel]:
        try:
            FOUNDATIONAL_CATALOG.with_pii_overrides(overrides)
        except ValidationError as error:  # re-checked catalog rules: report what broke, not the whole table
            raise ValueError(explain(error)) from None
        return overrides

    @property
    def catalog(self) -> FoundationalCatalog:
        """The foundational catalog with this stack's PII-level overrides applied."""
        return FOUNDATIONAL_CATALOG.with_pii_overrides(self.pii_overrides)

    @field_validator("warehouses")
    @classmethod
    def _every_purpose(cls, warehouses: dict[WarehousePurpose, WarehouseConfig]) -> dict:
        missing = [p.value for p in WarehousePurpose if p not in warehouses]
        if missing:
            raise ValueError(
                f"missing {missing}; every one of {[p.value for p in WarehousePurpose]} is needed"
            )
        return warehouses

    @field_validator("listed_sources")
    @classmethod
    def _unique_sources(cls, sources: list[str] | None) -> list[str] | None:
        if twice := listed_more_than_once("sources", sources or []):
            raise ValueError(twice)
        return sources

    @model_validator(mode="after")
    def _sources_agree_with_airbyte(self) -> "StackConfig":
        if self.airbyte is None or self.listed_sources is None:
            return self
        ingested = list(self.airbyte.sources)
        if set(self.listed_sources) != set(ingested):
            raise ValueError(
                f"sources {self.listed_sources} and airbyte.sources {ingested} differ; with airbyte configured "
                "the stack's sources are the ones it ingests: leave sources out, or list exactly those"
            )
        return self

    @property
    def entity_mapping_specs(self) -> list[EntityMappingSpec]:
        """The entity mappings, checked against the streams Airbyte promotes and the catalog's entities."""
        return check_entity_mappings(
            self.entity_mappings, self.airbyte.sources if self.airbyte else {}, self.catalog
        )

    @property
    def sources(self) -> list[str]:
        """The Airbyte sources, each with a RAW and a curated schema: with Airbyte, the ones it ingests."""
        if self.airbyte is not None:
            return list(self.airbyte.sources)
        return list(self.listed_sources or [])

    @model_validator(mode="after")
    def _airbyte_needs_its_service_user(self) -> "StackConfig":
        if self.airbyte is not None and AIRBYTE_USER not in self.service_users:
            raise ValueError(
                f"airbyte is configured, so serviceUsers must declare {AIRBYTE_USER}, the user it signs in as"
            )
        return self

    @model_validator(mode="after")
    def _receiver_user_iff_airbyte(self) -> "StackConfig":
        declared = RECEIVER_USER in self.service_users
        if self.airbyte is not None and not declared:
            raise ValueError(
                f"airbyte is configured, so serviceUsers must declare {RECEIVER_USER}, the user the webhook "
                "receiver (sophia receiver serve) signs in as to run the gate tasks"
            )
        if self.airbyte is None and declared:
            raise ValueError(
                f"serviceUsers declares {RECEIVER_USER}, the webhook receiver's user, but airbyte is not "
                "configured: without Airbyte sources there is no gate task for it to run; remove it"
            )
        return self

    @model_validator(mode="after")
    def _ingested_sources_are_gated(self) -> "StackConfig":
        if self.airbyte is not None and self.quality_gate is None:
            raise ValueError(
                "airbyte is configured, so qualityGate must be set: the gate promotes its streams from RAW "
                "and its alerts need a notify target (see docs/quality-gate.md)"
            )
        return self

    @model_validator(mode="after")
    def _receiver_role_is_the_receivers_alone(self) -> "StackConfig":
        for user, config in self.service_users.items():
            if user == RECEIVER_USER and config.functional_role is not FunctionalRole.HOOKS:
                raise not_allowed(
                    f"serviceUsers.{user}.functionalRole",
                    config.functional_role.value,
                    [FunctionalRole.HOOKS.value],
                    " (the webhook receiver may run the gate tasks and nothing else)",
                )
            if user != RECEIVER_USER and config.functional_role is FunctionalRole.HOOKS:
                raise not_allowed(
                    f"serviceUsers.{user}.functionalRole",
                    config.functional_role.value,
                    [role.value for role in FunctionalRole if role is not FunctionalRole.HOOKS],
                    f" (HOOKS is the role of the webhook receiver's user, {RECEIVER_USER}, alone)",
                )
        return self

    @model_validator(mode="after")
    def _alert_credential_given(self) -> "StackConfig":
        secrets = self.quality_gate_secrets or QualityGateSecrets()
        given = sorted(secrets.model_dump(exclude_none=True, by_alias=True))
        channel = self.quality_gate.alerts.notify.kind if self.quality_gate else AlertChannel.EMAIL
        needed, value = secrets.credential(channel)
        wanted = [needed] if channel.is_webhook else []
        if extra := [key for key in given if key not in wanted]:
            raise ValueError(
                f"{GATE_SECRETS_KEY} sets {extra}, which alerts of kind {channel.value!r} do not use; "
                f"it takes {wanted or 'nothing'} for this kind"
            )
        if not channel.is_webhook:
            return self
        if value is None:
            raise ValueError(
                f"qualityGate.alerts.notify.kind is {channel.value!r}, so the secret {GATE_SECRETS_KEY}.{needed} "
                f"must be set (pulumi config set --secret --path '{GATE_SECRETS_KEY}.{needed}' ..., or Pulumi ESC)"
            )
        try:
            webhook_target(channel, value.get_secret_value())
        except ValueError as problem:
            raise ValueError(
                f"{GATE_SECRETS_KEY}.{needed}: {problem} (value not shown: it is a secret)"
            ) from None
        return self

    @property
    def alert_webhook(self) -> WebhookTarget | None:
        """Where a webhook alert posts and its secret; None for e-mail alerts or a stack without the gate."""
        if self.quality_gate is None or not self.quality_gate.alerts.notify.kind.is_webhook:
            return None
        channel = self.quality_gate.alerts.notify.kind
        _, value = (self.quality_gate_secrets or QualityGateSecrets()).credential(channel)
        return webhook_target(channel, value.get_secret_value()) if value else None

    @model_validator(mode="after")
    def _every_service_user_has_a_key(self) -> "StackConfig":
        missing = sorted(set(self.service_users) - set(self.service_public_keys))
        if missing:
            raise ValueError(
                f"servicePublicKeys has no RSA public key for service user(s) {missing}: "
                "service users sign in by key pair only"
            )
        return self

    @model_validator(mode="after")
    def _credentials_for_authenticator(self) -> "StackConfig":
        needed = {
            Authenticator.PROGRAMMATIC_ACCESS_TOKEN: ("snowflakeToken", self.snowflake_token),
            Authenticator.SNOWFLAKE_JWT: ("snowflakePrivateKey", self.snowflake_private_key),
        }[self.snowflake_account.authenticator]
        if needed[1] is None:
            raise ValueError(
                f"snowflakeAccount.authenticator is {self.snowflake_account.authenticator.value}, "
                f"so the secret {needed[0]} must be set (pulumi config set --secret {needed[0]} ...)"
            )
        return self

    @property
    def protect_stateful(self) -> bool:
        """Databases, schemas and tables are protected from deletion in prod."""
        return self.environment is Environment.PROD

    @model_validator(mode="after")
    def _entity_mappings_fit(self) -> "StackConfig":
        # Last: a stack whose other keys are wrong hears about those first.
        self.entity_mapping_specs  # noqa: B018 - raises on a mapping that does not fit
        return self
