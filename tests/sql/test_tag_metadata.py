"""The SOPHIA_AI_METADATA tag value: round trip, compact JSON, the 256-character limit, strict input."""

import json

import pytest
from pydantic import ValidationError

from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from models.tag_metadata import TAG_VALUE_MAX_LENGTH, PiiLevel, SophiaMetadata, TagValueTooLongError

CUSTOMER = {
    "entity_type": "customer",
    "data_source": "hubspot",
    "update_frequency": "hourly",
    "pii_level": "high",
    "vector_index": True,
}


def _with_value_length(length: int) -> SophiaMetadata:
    """Metadata whose tag value is exactly `length` characters, padded through data_source."""
    base = len(SophiaMetadata(**{**CUSTOMER, "data_source": "x"}).to_tag_value("probe"))
    return SophiaMetadata(**{**CUSTOMER, "data_source": "x" * (1 + length - base)})


@pytest.mark.parametrize("table", FOUNDATIONAL_CATALOG.tables, ids=lambda t: t.name)
def test_every_table_and_column_tag_round_trips_within_the_limit(table):
    for spec in (table, table.embeddings_table()):
        objects = [(spec.metadata(), spec.metadata_tag_value())] + [
            (spec.column_metadata(c.name), spec.column_metadata_tag_value(c.name)) for c in spec.columns
        ]
        for metadata, value in objects:
            assert len(value) <= TAG_VALUE_MAX_LENGTH
            assert SophiaMetadata.model_validate_json(value) == metadata


def test_tag_value_is_compact_json_with_sorted_keys():
    value = SophiaMetadata(**CUSTOMER, is_primary_identifier=False).to_tag_value("CUSTOMERS.CUSTOMER_ID")
    assert value == (
        '{"data_source":"hubspot","entity_type":"customer","is_primary_identifier":false,'
        '"pii_level":"high","update_frequency":"hourly","vector_index":true}'
    )


def test_table_tag_omits_is_primary_identifier():
    assert "is_primary_identifier" not in json.loads(SophiaMetadata(**CUSTOMER).to_tag_value("CUSTOMERS"))


def test_tag_value_of_exactly_256_characters_is_accepted():
    assert len(_with_value_length(TAG_VALUE_MAX_LENGTH).to_tag_value("CUSTOMERS")) == TAG_VALUE_MAX_LENGTH


def test_tag_value_over_256_characters_names_object_length_and_limit():
    with pytest.raises(TagValueTooLongError) as raised:
        _with_value_length(TAG_VALUE_MAX_LENGTH + 1).to_tag_value("FOUNDATIONAL_KNOWLEDGE.CUSTOMERS")
    message = str(raised.value)
    assert "FOUNDATIONAL_KNOWLEDGE.CUSTOMERS" in message
    assert "257 characters" in message
    assert "at most 256" in message


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"owner": "data-team"}, "owner"),
        ({"pii_level": "secret"}, "'none', 'low', 'high' or 'sensitive'"),
        ({"update_frequency": "monthly"}, "'realtime', 'hourly', 'daily', 'weekly' or 'static'"),
        ({"vector_index": "yes"}, "vector_index"),
        ({"entity_type": "Customer"}, "entity_type"),
        ({"data_source": "hub spot"}, "data_source"),
    ],
)
def test_bad_metadata_is_refused_naming_the_key(change, named):
    with pytest.raises(ValidationError) as raised:
        SophiaMetadata(**{**CUSTOMER, **change})
    assert named in str(raised.value)


def test_a_tag_value_read_back_is_parsed_as_strictly_as_it_was_written():
    with pytest.raises(ValidationError, match="extra_key"):
        SophiaMetadata.model_validate_json(json.dumps({**CUSTOMER, "extra_key": 1}))
    with pytest.raises(ValidationError):
        SophiaMetadata.model_validate_json("{not json")


def test_pii_levels_order_and_masking():
    assert PiiLevel.highest([PiiLevel.LOW, PiiLevel.SENSITIVE, PiiLevel.HIGH]) is PiiLevel.SENSITIVE
    assert PiiLevel.highest([]) is PiiLevel.NONE
    assert [level for level in PiiLevel if level.is_masked] == [PiiLevel.HIGH, PiiLevel.SENSITIVE]
