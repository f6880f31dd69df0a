"""Typed stack config: every key of Pulumi.<stack>.yaml, validated before any resource is declared."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator

from catalog.embedding import EmbeddingConfig
from catalog.entity_mappings import EntityMappingSpec
from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.notification_integration import WebhookTarget, webhook_target
from catalog.tables import FoundationalCatalog
from models.enums import AlertChannel, Authenticator, Environment, FunctionalRole, WarehousePurpose
from models.identifiers import SnowflakeIdentifier
from models.strict_model import StrictModel
from models.tag_metadata import PiiLevel
from models.validation import explain, listed_more_than_once, not_allowed
from stack.account import DatabaseConfig, SnowflakeAccountConfig
from stack.airbyte.config import AirbyteConfig
from stack.entities import EntityMapping, check_entity_mappings
from stack.keys import RsaPublicKey
from stack.quality_gate import SECRETS_KEY as GATE_SECRETS_KEY
from stack.quality_gate import QualityGateConfig, QualityGateSecrets
from stack.security import SecurityConfig
from stack.semantic import SemanticConfig
from stack.service_users import (
    DATA_ROLES,
    ServiceUserConfig,
    require_airbyte_user,
    require_public_keys,
    require_receiver_role_alone,
    require_receiver_user_iff_airbyte,
)
from stack.warehouses import ResourceMonitorConfig, WarehouseConfig


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
                DATA_ROLES,
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

    # Built once per config (a plan reads it a dozen times); pydantic keeps a cached_property out of the fields.
    @cached_property
    def catalog(self) -> FoundationalCatalog:
        """The foundational catalog with this stack's PII-level overrides applied."""
        return FOUNDATIONAL_CATALOG.with_pii_overrides(self.pii_overrides)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> "StackConfig":
        """A copy that builds its own catalog: pydantic would carry this one's over, stale after `update`."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("catalog", None)
        return copied

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
        require_airbyte_user(self.service_users, self.airbyte is not None)
        return self

    @model_validator(mode="after")
    def _receiver_user_iff_airbyte(self) -> "StackConfig":
        require_receiver_user_iff_airbyte(self.service_users, self.airbyte is not None)
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
        require_receiver_role_alone(self.service_users)
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
        require_public_keys(self.service_users, self.service_public_keys)
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
