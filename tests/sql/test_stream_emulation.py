"""The stream emulation shows what a Snowflake standard stream shows, so the MERGE is tested against it."""

from tests.sql.streams import StreamRow, stream_delta

BEFORE = {"C1": ("C1", "Acme"), "C2": ("C2", "Globex"), "C3": ("C3", "Initech")}


def test_insert_delete_and_update_appear_as_snowflake_shows_them():
    after = {"C1": ("C1", "Acme Rockets"), "C3": ("C3", "Initech"), "C4": ("C4", "Umbrella")}
    assert stream_delta(BEFORE, after) == [
        StreamRow("C4", "INSERT", False, "after"),
        StreamRow("C2", "DELETE", False, "before"),
        StreamRow("C1", "DELETE", True, "before"),
        StreamRow("C1", "INSERT", True, "after"),
    ]


def test_changes_net_out_between_reads():
    inserted_then_deleted = dict(BEFORE)
    assert stream_delta(BEFORE, inserted_then_deleted) == []
