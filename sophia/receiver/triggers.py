"""Which Airbyte connection promotes through which gate task: the stack's `promotion_triggers` output."""

# The file is `pulumi stack output --json > triggers.json` (or any JSON object with that key), so the
# connection ids and task names come from the stack that declared them, never typed a second time:
#
#     {"promotion_triggers": {"<airbyte connection id>": "<DB>.<SCHEMA>.<TASK>"}, ...other outputs...}
#
# Other outputs are ignored (the command prints every output of the stack); inside `promotion_triggers`
# every key must be a UUID and every value a fully qualified task name. A `pulumi stack export` (and the
# offline plan's build/<stack>/stack.json, for a --dry-run) holds the same outputs on its root stack
# resource, so it is read too.

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from models.identifiers import IDENTIFIER_PATTERN

OUTPUT_KEY = "promotion_triggers"
_PART = re.compile(IDENTIFIER_PATTERN.removeprefix("^").removesuffix("$"))
_QUOTED_OR_PLAIN = re.compile(rf'^"?({_PART.pattern})"?$')
TASK_NAME_FORM = "DB.SCHEMA.TASK of upper-case identifiers, each optionally double-quoted"


class TriggersFileError(ValueError):
    """The triggers file is missing, not JSON, or has no valid `promotion_triggers`."""


def _task_name(value: str) -> str:
    """`DB.SCHEMA.TASK` or `"DB"."SCHEMA"."TASK"`, returned unquoted: both name the same object."""
    parts = value.split(".")
    matches = [_QUOTED_OR_PLAIN.fullmatch(part) for part in parts]
    if len(parts) != 3 or not all(matches):
        raise ValueError(f"must be {TASK_NAME_FORM}")
    return ".".join(match[1] for match in matches if match)


GateTask = Annotated[str, AfterValidator(_task_name)]


class _StackOutputs(BaseModel):
    """The part of the stack's outputs the receiver reads."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    promotion_triggers: dict[UUID, GateTask] = Field(min_length=1)


def load_triggers(path: Path) -> Mapping[UUID, str]:
    """Connection id -> fully qualified gate task, from a stack-output JSON file."""
    try:
        text = path.read_text()
    except OSError as error:
        raise TriggersFileError(f"cannot read triggers file {path}: {error.strerror}") from error
    try:
        outputs = _StackOutputs.model_validate_json(_stack_outputs(text))
    except ValidationError as error:
        kinds = {(problem["type"], problem["loc"]) for problem in error.errors()}
        if any(kind == "json_invalid" for kind, _ in kinds):
            raise TriggersFileError(f"{path} is not JSON") from error
        if ("missing", (OUTPUT_KEY,)) in kinds or ("model_type", ()) in kinds:
            raise TriggersFileError(
                f"{path} has no {OUTPUT_KEY!r} key: expected `pulumi stack output --json` of a stack that "
                f'exports {{"{OUTPUT_KEY}": {{"<airbyte connection id>": "<DB>.<SCHEMA>.<TASK>"}}}}'
            ) from error
        raise TriggersFileError(f"{path}:\n" + _describe(error)) from error
    return dict(outputs.promotion_triggers)


def _stack_outputs(text: str) -> str:
    """The outputs document: the file itself, or the root stack resource's outputs of a stack export."""
    try:
        document = json.loads(text)
    except ValueError:
        return text  # reported as not JSON by the model
    resources = document.get("deployment", {}).get("resources") if isinstance(document, dict) else None
    if not isinstance(resources, list):
        return text
    roots = [r for r in resources if isinstance(r, dict) and r.get("type") == "pulumi:pulumi:Stack"]
    return json.dumps(roots[0].get("outputs", {}) if roots else {})


def _describe(error: ValidationError) -> str:
    """One line per problem: the key, what was given and what is allowed."""
    lines = []
    for problem in error.errors():
        location = ".".join(str(part) for part in problem["loc"])
        if problem["loc"][-1] == "[key]":
            allowed = "an Airbyte connection id (a UUID)"
            given = problem["input"]
        elif problem["type"] == "too_short":
            allowed, given = "at least one connection", problem["input"]
        elif problem["type"] == "value_error":
            allowed, given = TASK_NAME_FORM, problem["input"]
        else:
            allowed, given = problem["msg"], problem["input"]
        lines.append(f"  {location}: given {given!r}; allowed: {allowed}")
    return "\n".join(lines)
