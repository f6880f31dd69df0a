"""Typed Airbyte stack config: sources, their streams, and the section that holds them, checked before deploying."""

# Which config paths arrived as Pulumi secrets comes in the validation context (SECRET_PATHS, below).
# A credential no secret path covers is rejected, and so is every credential when that context is missing.

from collections.abc import Collection
from typing import Annotated, Self

from pydantic import (
    Field,
    JsonValue,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from catalog.quality_gate.objects import PromotedStream
from models.identifiers import SnowflakeIdentifier
from models.json_values import deep_merge
from models.naming import Naming
from models.quality_gate import GateCheck, QualityCheck, promoted_stream_checks, require_enough_checks
from models.tag_metadata import PiiLevel, TagName
from models.validation import explain, listed_more_than_once, not_allowed, one_of
from stack.airbyte.access import AirbyteDestinationConfig, ApiCredentialsConfig, NotificationsConfig
from stack.airbyte.base import AirbyteModel
from stack.airbyte.schedule import ScheduleConfig
from stack.airbyte.source_types import SOURCE_SPECS, SourceType, SyncMode

# Validation-context keys.
SECRET_PATHS = "secret_paths"  # dotted config paths that arrived as Pulumi secrets, e.g. {"airbyte"}
CONFIG_KEY = "config_key"  # where this config sits in the stack config; "airbyte" unless said otherwise

# The parts of the Airbyte config that come from the secret key airbyteSecrets (and each source's credentials).
AIRBYTE_SECRET_FIELDS = ("apiCredentials", "notifications", "destination")

_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class StreamConfig(AirbyteModel):
    """One stream of a source: how it syncs, its cursor and primary key, and the checks that gate it."""

    name: str = Field(min_length=1)
    sync_mode: Annotated[SyncMode, one_of("syncMode", SyncMode)] = SyncMode.INCREMENTAL_DEDUPED_HISTORY
    cursor_field: tuple[str, ...] = ()
    primary_key: tuple[tuple[str, ...], ...] = ()
    # Deduplicated streams are promoted from RAW to the curated schema through the data-quality gate.
    checks: tuple[QualityCheck, ...] = ()
    # Further fields the stream is known to carry, which entity mappings may read (besides key, cursor, checks).
    columns: tuple[str, ...] = ()
    # The fields holding people's data and their PII_LEVEL, which the PII tagging task sets on RAW and curated.
    pii_columns: dict[str, Annotated[PiiLevel, one_of("piiColumns", PiiLevel)]] = Field(default_factory=dict)
    # The entity type in the tables' metadata tag; the stream's name unless given.
    entity_type: TagName | None = None
    _gate_checks: tuple[GateCheck, ...] = PrivateAttr(default=())

    @property
    def gate_checks(self) -> tuple[GateCheck, ...]:
        """The checks the gate runs on this stream (none unless promoted), resolved once as it is validated."""
        return self._gate_checks

    @model_validator(mode="after")
    def _dedup_has_keys(self) -> Self:
        missing = [
            key
            for key, value in (("cursorField", self.cursor_field), ("primaryKey", self.primary_key))
            if not value
        ]
        if self.sync_mode is SyncMode.INCREMENTAL_DEDUPED_HISTORY and missing:
            raise ValueError(
                f"stream {self.name!r} has syncMode {self.sync_mode.value!r}, which needs cursorField and "
                f"primaryKey; missing {' and '.join(missing)} (given cursorField={list(self.cursor_field)}, "
                f"primaryKey={[list(key) for key in self.primary_key]})"
            )
        return self

    @model_validator(mode="after")
    def _checks_gate_promotion(self) -> Self:
        if self.sync_mode is SyncMode.INCREMENTAL_DEDUPED_HISTORY:
            self._gate_checks = promoted_stream_checks(
                self.name, self.primary_key, self.cursor_field, self.checks
            )
        elif self.checks:
            raise ValueError(
                f"stream {self.name!r} declares checks, but only {SyncMode.INCREMENTAL_DEDUPED_HISTORY.value!r} "
                f"streams are promoted (merged by primary key); syncMode is {self.sync_mode.value!r}"
            )
        return self


class AirbyteSourceConfig(AirbyteModel):
    """One SaaS source: connector type, plain settings, credentials (secrets), streams and landing schema."""

    source_type: Annotated[SourceType, one_of("sourceType", SourceType)]
    settings: dict[str, JsonValue] = Field(default_factory=dict)
    credentials: dict[str, SecretStr]
    streams: list[StreamConfig] = Field(min_length=1)
    namespace: SnowflakeIdentifier | None = None

    def promoted_configs(self) -> list["StreamConfig"]:
        """The streams the data-quality gate promotes to the curated schema: every deduplicated one."""
        return [stream for stream in self.streams if stream.sync_mode is SyncMode.INCREMENTAL_DEDUPED_HISTORY]

    def promoted_streams(self, source: str) -> list[PromotedStream]:
        """The promoted streams as the gate reads them."""
        return [PromotedStream.from_config(source, stream) for stream in self.promoted_configs()]

    @field_validator("credentials")
    @classmethod
    def _credentials_complete(
        cls, credentials: dict[str, SecretStr], info: ValidationInfo
    ) -> dict[str, SecretStr]:
        # A field check, so that a problem is reported at the credentials' own key.
        source_type = info.data.get("source_type")
        if source_type is None:
            return credentials  # the source type is wrong, and reported as such
        needed = SOURCE_SPECS[source_type].credential_fields
        missing = [name for name in needed if name not in credentials]
        unknown = sorted(set(credentials) - set(needed))
        if missing or unknown:
            raise ValueError(
                f"credentials of sourceType {source_type.value!r} must be exactly {list(needed)}; "
                f"missing {missing}, unknown {unknown}"
            )
        return credentials

    @model_validator(mode="after")
    def _settings_fit_the_connector(self) -> Self:
        spec = SOURCE_SPECS[self.source_type]
        reserved = sorted(spec.reserved_settings & set(self.settings))
        if reserved:
            raise ValueError(f"settings {reserved} are set from sourceType and credentials; remove them")
        configuration = deep_merge(
            spec.configuration(self.source_type, self.settings),
            spec.secret_configuration({name: "placeholder" for name in spec.credential_fields}),
        )
        try:
            spec.settings_model.model_validate(configuration)
        except ValidationError as error:
            problems = explain(error, "settings.", show_input=False)
            raise ValueError(
                f"settings do not fit Airbyte's {self.source_type.value!r} connector: {problems}"
            ) from None
        return self

    @model_validator(mode="after")
    def _enough_checks(self) -> Self:
        require_enough_checks({stream.name: len(stream.gate_checks) for stream in self.promoted_configs()})
        return self

    @model_validator(mode="after")
    def _unique_streams(self) -> Self:
        if twice := listed_more_than_once("streams", (stream.name for stream in self.streams)):
            raise ValueError(twice)
        return self


class AirbyteConfig(AirbyteModel):
    """Everything Airbyte needs from the stack config."""

    workspace_id: str = Field(pattern=_UUID)
    api_url: str = Field(default="https://api.airbyte.com/v1", pattern=r"^https?://\S+$")
    api_credentials: ApiCredentialsConfig
    schedule: ScheduleConfig = ScheduleConfig()
    notifications: NotificationsConfig
    destination: AirbyteDestinationConfig
    sources: dict[SnowflakeIdentifier, AirbyteSourceConfig] = Field(min_length=1)

    def namespace(self, source: str) -> str:
        """Where a source lands in Snowflake: its RAW schema."""
        return Naming.raw_schema(source)

    def credential_paths(self) -> list[str]:
        """The config paths, below this config's key, of every credential that is set."""
        paths = [f"apiCredentials.{to_camel(name)}" for name in sorted(self.api_credentials.model_fields_set)]
        paths += [f"notifications.{event}.webhookUrl" for event in self.notifications.webhooks()]
        paths.append("destination.privateKey")
        if self.destination.private_key_password is not None:
            paths.append("destination.privateKeyPassword")
        paths += [
            f"sources.{name}.credentials.{key}"
            for name, source in self.sources.items()
            for key in source.credentials
        ]
        return paths

    @model_validator(mode="after")
    def _namespaces_are_raw_schemas(self) -> Self:
        for name, source in self.sources.items():
            if source.namespace not in (None, self.namespace(name)):
                raise not_allowed(
                    f"sources.{name}.namespace",
                    source.namespace,
                    [self.namespace(name)],
                    f" (source {name} lands in its declared RAW schema)",
                )
        return self

    @model_validator(mode="after")
    def _credentials_are_secrets(self, info: ValidationInfo) -> Self:
        context = info.context or {}
        key = context.get(CONFIG_KEY, "airbyte")
        secret: Collection[str] = context.get(SECRET_PATHS, ())
        in_clear = [
            f"{key}.{path}"
            for path in self.credential_paths()
            if not any(f"{key}.{path}" == s or f"{key}.{path}".startswith(f"{s}.") for s in secret)
        ]
        if in_clear:
            raise ValueError(
                "\n".join(
                    f"{path} must be a Pulumi secret but was given in clear; "
                    f"set it with `pulumi config set --secret --path '{path}' ...` or from Pulumi ESC"
                    for path in in_clear
                )
            )
        return self
