"""Tag-based PII masking: which data types have a masking policy, and each policy's body."""

from collections.abc import Mapping, Sequence

from catalog.sql_files import render_sql
from models.tag_metadata import PiiLevel

# Tag-based masking needs one policy per data type, and the Governance component creates one for each of
# these types only; a high or sensitive column of any other type would not be masked, so it is refused.
MASKING_BODIES: Mapping[str, str] = {
    "VARCHAR": "masking/string.sql",
    "NUMBER": "masking/null.sql",
    "TIMESTAMP_NTZ": "masking/null.sql",
    "VARIANT": "masking/variant.sql",
}


def masking_policy_body(policy_type: str, pii_tag: str, allowed_roles: Sequence[str]) -> str:
    """The body of the tag-based masking policy for one data type; only the listed roles see high PII."""
    if policy_type not in MASKING_BODIES:
        raise ValueError(f"no masking body for type {policy_type!r}; types: {sorted(MASKING_BODIES)}")
    return render_sql(
        MASKING_BODIES[policy_type],
        pii_tag=pii_tag,
        allowed_roles=tuple(allowed_roles),
        unmasked_levels=tuple(level for level in PiiLevel if not level.is_masked),
    )
