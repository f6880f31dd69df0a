"""The SQL files of the PII tagging task and their slots, registered in catalog.sql_files."""

from catalog.sql_slots import Slot, SqlFile

_WHERE = {
    "information_schema": Slot.IDENTIFIER,
    "schema_name": Slot.NAME_LITERAL,
    "table_name": Slot.NAME_LITERAL,
}

TAGGING_FILES = (
    SqlFile("tagging/task_body.sql", {"steps": Slot.FRAGMENT}),
    SqlFile("tagging/step.sql", {"lookup": Slot.FRAGMENT, "statement": Slot.FRAGMENT}),
    SqlFile("tagging/lookup_table.sql", _WHERE),
    SqlFile("tagging/lookup_column.sql", {**_WHERE, "column_name": Slot.NAME_LITERAL}),
    SqlFile(
        "tagging/set_table_tag.sql",
        {"table": Slot.IDENTIFIER, "metadata_tag": Slot.IDENTIFIER, "metadata": Slot.TAG_VALUE},
    ),
    SqlFile(
        "tagging/set_column_tag.sql",
        {
            "table": Slot.IDENTIFIER,
            "column": Slot.IDENTIFIER,
            "pii_tag": Slot.IDENTIFIER,
            "pii_level": Slot.LITERAL,
        },
    ),
)
