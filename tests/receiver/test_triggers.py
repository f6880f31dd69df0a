"""The triggers file: the stack's `promotion_triggers` output, validated before the receiver answers anything."""

import json
from uuid import UUID

import pytest

from sophia.receiver.triggers import TriggersFileError, load_triggers

GONG = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"


def write(tmp_path, document) -> object:
    path = tmp_path / "outputs.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_the_stack_output_maps_connections_to_tasks_and_other_outputs_are_ignored(tmp_path):
    outputs = {
        "database": "SOPHIA_AI_DEV",
        "warehouses": {"ETL": "SOPHIA_AI_DEV_ETL_WH"},
        "promotion_triggers": {GONG: "SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE"},
    }
    assert load_triggers(write(tmp_path, outputs)) == {
        UUID(GONG): "SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE"
    }


def test_the_quoted_form_names_the_same_task(tmp_path):
    outputs = {"promotion_triggers": {GONG: '"SOPHIA_AI_DEV"."SOPHIA_OPS"."GONG_QUALITY_GATE"'}}
    assert load_triggers(write(tmp_path, outputs))[UUID(GONG)] == "SOPHIA_AI_DEV.SOPHIA_OPS.GONG_QUALITY_GATE"


@pytest.mark.parametrize(
    "task",
    [
        "SOPHIA_OPS.GONG_QUALITY_GATE",  # not fully qualified
        "A.B.C.D",
        "sophia_ai_dev.sophia_ops.gong_gate",  # lower case would need quotes to mean what it says
        "A.B.GATE; DROP TASK X",
        'A.B."GATE"" OR 1"',
        "A..C",
    ],
)
def test_a_task_name_that_is_not_a_plain_qualified_identifier_is_refused(tmp_path, task):
    with pytest.raises(TriggersFileError) as error:
        load_triggers(write(tmp_path, {"promotion_triggers": {GONG: task}}))
    assert f"promotion_triggers.{GONG}: given {task!r}; allowed: DB.SCHEMA.TASK" in str(error.value)


def test_a_key_that_is_not_a_connection_id_is_refused(tmp_path):
    with pytest.raises(
        TriggersFileError,
        match=r"promotion_triggers.gong.\[key\]: given 'gong'; allowed: an Airbyte connection id",
    ):
        load_triggers(write(tmp_path, {"promotion_triggers": {"gong": "A.B.C"}}))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{", "is not JSON"),
        ([], "has no 'promotion_triggers' key"),
        ({"database": "X"}, "has no 'promotion_triggers' key: expected `pulumi stack output --json`"),
        ({"promotion_triggers": {}}, "promotion_triggers: given {}; allowed: at least one connection"),
        ({"promotion_triggers": [GONG]}, "promotion_triggers: given"),
    ],
)
def test_a_file_without_usable_triggers_is_refused(tmp_path, document, message):
    with pytest.raises(TriggersFileError) as error:
        load_triggers(write(tmp_path, document))
    assert message in str(error.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(TriggersFileError, match="cannot read triggers file"):
        load_triggers(tmp_path / "absent.json")
