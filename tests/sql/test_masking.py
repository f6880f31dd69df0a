"""Masking policy bodies evaluated on fakesnow for each data type, PII level and role."""

import pytest

from catalog.masking import MASKING_BODIES, masking_policy_body
from models.naming import PII_TAG, TAG_SCHEMA, Naming
from tests.sql.shims import bind_masking_context

QUALIFIED_PII_TAG = Naming("SOPHIA_TEST", "SOPHIA_TEST").in_database_unquoted(TAG_SCHEMA, PII_TAG)
ALLOWED_ROLES = ["SOPHIA_AI_ADMIN_ROLE", "PII_READER_ROLE"]

# A sample value per masking-policy type, and what a masked read returns (fakesnow renders VARIANT as JSON).
SAMPLES = {
    "VARCHAR": ("'alice@example.com'", "***MASKED***"),
    "NUMBER": ("CAST(123456.78 AS NUMBER(18,2))", None),
    "TIMESTAMP_NTZ": ("CAST('2024-01-01 10:00:00' AS TIMESTAMP_NTZ)", None),
    "VARIANT": ("""PARSE_JSON('{"iban": "DE89 3704"}')""", '"***MASKED***"'),
}
CASES = [
    ("none", "SOPHIA_AI_APP_ROLE", False),
    ("low", "SOPHIA_AI_APP_ROLE", False),
    ("high", "SOPHIA_AI_APP_ROLE", True),
    ("sensitive", "SOPHIA_AI_APP_ROLE", True),
    ("sensitive", "ACCOUNTADMIN", True),
    ("high", "PII_READER_ROLE", False),
    ("sensitive", "SOPHIA_AI_ADMIN_ROLE", False),
    (None, "SOPHIA_AI_APP_ROLE", True),  # no tag on the column: fail closed
]


def test_every_maskable_type_has_a_sample():
    assert set(SAMPLES) == set(MASKING_BODIES)


@pytest.mark.parametrize("policy_type", sorted(SAMPLES))
def test_body_masks_high_and_sensitive_values_for_roles_not_allowed(shared_warehouse, policy_type):
    sample, masked_value = SAMPLES[policy_type]
    body = masking_policy_body(policy_type, QUALIFIED_PII_TAG, ALLOWED_ROLES)
    # One query evaluates every case: a column per (level, role), plus the unmasked original.
    cases = ", ".join(
        f"{bind_masking_context(body, role, level)} AS CASE_{i}" for i, (level, role, _) in enumerate(CASES)
    )
    row = shared_warehouse.query(f"SELECT {cases}, val AS ORIGINAL FROM (SELECT {sample} AS val)")[0]
    assert row["ORIGINAL"] != masked_value
    expected = {
        f"CASE_{i}": masked_value if masked else row["ORIGINAL"] for i, (_, _, masked) in enumerate(CASES)
    }
    assert {name: row[name] for name in expected} == expected


def test_the_body_reads_the_tag_it_is_given():
    body = masking_policy_body("VARCHAR", QUALIFIED_PII_TAG, ALLOWED_ROLES)
    assert f"SYSTEM$GET_TAG_ON_CURRENT_COLUMN('{QUALIFIED_PII_TAG}') IN ('none', 'low')" in body
    assert "CURRENT_ROLE() IN ('SOPHIA_AI_ADMIN_ROLE', 'PII_READER_ROLE')" in body


def test_masking_needs_a_known_type_and_at_least_one_role():
    with pytest.raises(ValueError, match="no masking body for type 'ARRAY'"):
        masking_policy_body("ARRAY", QUALIFIED_PII_TAG, ALLOWED_ROLES)
    with pytest.raises(ValueError, match="allowed_roles=\\(\\) is not a non-empty list"):
        masking_policy_body("VARCHAR", QUALIFIED_PII_TAG, [])
