"""Data-quality rules: every stream promoted from RAW is checked on its key, and every source checked enough."""

import json
from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .airbyte import CONNECTION, DEDUPED
from .rule import NUMBER, STRING, Settings, stack_rule

QUALITY_GATE = "sophia:quality_gate:QualityGate"
ERROR = "error"


def _declared(args: StackValidationArgs) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Source → stream → its declaration, as the gate component carries them; and the component's URN."""
    gates = [r for r in args.resources if r.resource_type == QUALITY_GATE]
    streams: dict[str, dict[str, Any]] = {}
    for gate in gates:
        for source, declared in (gate.props.get("promotedStreams") or {}).items():
            for stream in declared or []:
                streams.setdefault(source, {})[str(stream.get("stream", "")).upper()] = stream
    return streams, gates[0].urn if gates else None


def _promoted(args: StackValidationArgs, raw_suffix: str) -> list[tuple[str, str, list[str], str]]:
    """(source, stream, key columns, URN) of every deduplicated stream an Airbyte connection lands in RAW."""
    found = []
    for connection in (r for r in args.resources if r.resource_type == CONNECTION):
        try:
            configuration = json.loads(connection.props.get("configuration") or "{}")
        except (TypeError, ValueError):
            continue  # airbyte-connection-standard reports it
        namespace = str(configuration.get("namespaceFormat", ""))
        if not namespace.endswith(raw_suffix):
            continue
        for stream in (configuration.get("configurations") or {}).get("streams") or []:
            if stream.get("syncMode") == DEDUPED:
                # Airbyte's Snowflake destination upper-cases names (SnowflakeNamingUtils.kt).
                key = [str(path[0]).upper() for path in stream.get("primaryKey") or [] if path]
                found.append(
                    (namespace.removesuffix(raw_suffix), str(stream["name"]).upper(), key, connection.urn)
                )
    return found


def _blocking(checks: list[dict[str, Any]], kind: str) -> list[frozenset[str]]:
    return [
        frozenset(str(c).upper() for c in check.get("columns") or [])
        for check in checks
        if check.get("check") == kind and check.get("severity", ERROR) == ERROR
    ]


def _promoted_streams_checked(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    declared, gate_urn = _declared(args)
    for source, stream, key, urn in _promoted(args, config["rawSchemaSuffix"]):
        checks = (declared.get(source, {}).get(stream) or {}).get("checks") or []
        not_null, unique = _blocking(checks, "not_null"), _blocking(checks, "unique")
        missing = [f"not_null({column})" for column in key if frozenset({column}) not in not_null]
        if frozenset(key) not in unique:
            missing.append(f"unique({', '.join(key)})")
        if missing:
            report(
                f"{source} stream {stream} is promoted from RAW by its primary key {key}, but the gate "
                f"declares no blocking {', '.join(missing)} for it.",
                gate_urn or urn,
            )
    for source, streams in sorted(declared.items()):
        total = sum(len(stream.get("checks") or []) for stream in streams.values())
        if total < config["minChecksPerSource"]:
            report(
                f"{source} declares {total} checks across its promoted streams; a source needs at least "
                f"{config['minChecksPerSource']:g}.",
                gate_urn,
            )


QUALITY_RULES = [
    stack_rule(
        "promoted-streams-checked",
        "Every deduplicated stream promoted from RAW has blocking not_null and unique checks on its primary key, "
        "and every source at least the configured number of checks.",
        Severity.HIGH,
        "Declare the stream's checks in sophia-data-platform:airbyte.sources.<SOURCE>.streams[].checks: "
        "not_null on every primaryKey field and unique (the primary key), severity error; add checks "
        "until the source has promoted-streams-checked.minChecksPerSource (policies/config/<stack>.json).",
        _promoted_streams_checked,
        settings={"minChecksPerSource": (NUMBER, 3), "rawSchemaSuffix": (STRING, "_DATA_RAW")},
    ),
]
