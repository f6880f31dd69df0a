"""Tagging rules: every managed schema, table and warehouse carries a valid metadata tag."""

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from .rule import STRING, STRINGS, Settings, stack_rule
from .tags import managed_objects, metadata_problem, tag_values


def _metadata_on_every_object(args: StackValidationArgs, report: ReportViolation, config: Settings) -> None:
    values = tag_values(args.resources, config["metadataTag"])
    for identifier, resource in sorted(managed_objects(args.resources).items()):
        if identifier not in values:
            report(f"{identifier} has no {config['metadataTag']} tag.", resource.urn)
            continue
        problem = metadata_problem(values[identifier], config["requiredKeys"])
        if problem:
            report(f"The {config['metadataTag']} tag on {identifier} {problem}.", resource.urn)


TAGGING_RULES = [
    stack_rule(
        "metadata-tag-on-managed-objects",
        "Every managed schema, table and warehouse carries a metadata tag: a JSON object with the required keys, "
        "at most 256 characters.",
        Severity.MEDIUM,
        "Tag the object through the Governance component with a TagMetadata value.",
        _metadata_on_every_object,
        settings={
            "metadataTag": (STRING, "SOPHIA_AI_METADATA"),
            "requiredKeys": (STRINGS, ["entity_type", "data_source", "update_frequency", "pii_level"]),
        },
    ),
]
