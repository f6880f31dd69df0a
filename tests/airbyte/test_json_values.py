"""The JSON helpers the provider relies on to keep secrets apart and out of messages."""

from models.json_values import MASK, REDACTED, changed_paths, deep_merge, project, redact, unmasked


def test_secrets_merge_into_their_place_in_the_configuration() -> None:
    plain = {"sourceType": "hubspot", "credentials": {"credentials_title": "Private App Credentials"}}

    merged = deep_merge(plain, {"credentials": {"access_token": "t"}})

    assert merged["credentials"] == {"credentials_title": "Private App Credentials", "access_token": "t"}
    assert "access_token" not in plain["credentials"], "merging must not change its inputs"


def test_project_keeps_what_is_declared_and_drops_secrets_and_server_defaults() -> None:
    live = {"a": 1, "extra": 2, "credentials": {"title": "x", "token": MASK}, "streams": [{"n": 1, "d": 0}]}

    assert project(live, {"a": 0, "credentials": {"title": ""}, "streams": [{"n": 0}], "gone": 1}) == {
        "a": 1,
        "credentials": {"title": "x"},
        "streams": [{"n": 1}],
    }


def test_project_matches_named_objects_by_name_and_keeps_unexpected_ones() -> None:
    live = [
        {"name": "users", "mode": "full", "x": 1},
        {"name": "calls", "mode": "dedup", "x": 2},
        {"name": "new"},
    ]

    assert project(
        live, [{"name": "calls", "mode": ""}, {"name": "users", "mode": ""}, {"name": "gone"}]
    ) == [
        {"name": "calls", "mode": "dedup"},
        {"name": "users", "mode": "full"},
        {"name": "new"},
    ]


def test_unmasked_prefers_what_the_api_shows_over_what_was_known() -> None:
    known = {"credentials": {"token": "old"}, "url": "https://a"}

    assert unmasked(known, {"credentials": {"token": MASK}, "url": "https://b"}) == {
        "credentials": {"token": "old"},
        "url": "https://b",
    }


def test_changed_paths_name_each_changed_leaf() -> None:
    old = {"a": {"b": 1, "c": 2}, "d": [1]}

    assert changed_paths(old, {"a": {"b": 1, "c": 3, "e": 0}, "d": [2]}, "configuration") == [
        "configuration.a.c",
        "configuration.a.e",
        "configuration.d",
    ]
    assert changed_paths("x", "x", "name") == []


def test_redact_replaces_plain_and_json_escaped_secrets_longest_first() -> None:
    text = 'key "line1\\nline2" then abc and abcdef'

    assert (
        redact(text, ["line1\nline2", "abc", "abcdef", ""])
        == f'key "{REDACTED}" then {REDACTED} and {REDACTED}'
    )
