"""Airbyte rules: every connection follows the standard, and the destination signs in as the ETL role by key pair."""

import json
from fnmatch import fnmatchcase
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, Severity

from .rule import STRING, Settings, resource_rule

CONNECTION = "pulumi-python:dynamic/airbyte:Connection"
DESTINATION = "pulumi-python:dynamic/airbyte:Destination"
DEDUPED = "incremental_deduped_history"


def _configuration(args: ResourceValidationArgs, report: ReportViolation) -> dict[str, Any] | None:
    """The resource's configuration JSON; None (reported) when it is not JSON."""
    try:
        configuration = json.loads(args.props.get("configuration") or "{}")
    except (TypeError, ValueError):
        report(f"{args.name} has a configuration that is not JSON.", None)
        return None
    return configuration if isinstance(configuration, dict) else {}


def _connection_standard(args: ResourceValidationArgs, report: ReportViolation, config: Settings) -> None:
    configuration = _configuration(args, report)
    if configuration is None:
        return
    schedule = configuration.get("schedule") or {}
    if schedule.get("scheduleType") != "cron" or schedule.get("cronExpression") != config["standardCron"]:
        report(
            f"{args.name} syncs on {schedule or 'no schedule'}, not the standard cron {config['standardCron']!r}.",
            None,
        )
    definition = configuration.get("namespaceDefinition")
    if definition != "custom_format":
        report(f"{args.name} takes its namespace from {definition or 'nowhere'}, not a custom_format.", None)
    namespace = configuration.get("namespaceFormat", "")
    if not fnmatchcase(namespace, config["rawSchemaPattern"]):
        report(
            f"{args.name} lands in {namespace or 'the default namespace'}, not a {config['rawSchemaPattern']} schema.",
            None,
        )
    if configuration.get("status") != "active":
        report(f"{args.name} is {configuration.get('status', 'without a status')}, not active.", None)
    if configuration.get("nonBreakingSchemaUpdatesBehavior") != "propagate_fully":
        report(f"{args.name} does not propagate schema changes.", None)
    for stream in (configuration.get("configurations") or {}).get("streams") or []:
        if stream.get("syncMode") != DEDUPED or not stream.get("cursorField") or not stream.get("primaryKey"):
            report(
                f"{args.name} stream {stream.get('name')} is {stream.get('syncMode')}; the standard is {DEDUPED} "
                "with a cursor and a primary key.",
                None,
            )


def _destination_key_pair_etl_role(
    args: ResourceValidationArgs, report: ReportViolation, config: Settings
) -> None:
    configuration = _configuration(args, report)
    if configuration is None:
        return
    credentials = configuration.get("credentials") or {}
    if credentials.get("auth_type") != "Key Pair Authentication" or "password" in credentials:
        report(
            f"{args.name} signs in with {credentials.get('auth_type', 'no method')}, not a key pair.", None
        )
    if configuration.get("role") != config["etlRole"]:
        report(
            f"{args.name} uses role {configuration.get('role')}, not the ETL role {config['etlRole']}.", None
        )


AIRBYTE_RULES = [
    resource_rule(
        "airbyte-connection-standard",
        "Every Airbyte connection is incremental + deduped per stream, on the standard cron, lands in its RAW "
        "schema, is active and propagates schema changes.",
        Severity.MEDIUM,
        "Declare connections through the AirbyteIngestion component; set "
        "sophia-data-platform:airbyte.sources.<SOURCE>.streams[].cursorField and "
        "sophia-data-platform:airbyte.sources.<SOURCE>.streams[].primaryKey.",
        _connection_standard,
        types=(CONNECTION,),
        settings={"standardCron": (STRING, "0 0 * * * ?"), "rawSchemaPattern": (STRING, "*_DATA_RAW")},
    ),
    resource_rule(
        "airbyte-destination-key-pair-etl-role",
        "The Snowflake destination signs in by key pair, with the ETL role.",
        Severity.HIGH,
        "Use the AIRBYTE service user's private key "
        "(sophia-data-platform:airbyteSecrets.destination.privateKey) and the ETL role "
        "(sophia-data-platform:serviceUsers.AIRBYTE.functionalRole: ETL).",
        _destination_key_pair_etl_role,
        types=(DESTINATION,),
        settings={"etlRole": (STRING, "SOPHIA_AI_ETL_ROLE")},
    ),
]
