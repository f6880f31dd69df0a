-- slot pii_tag: identifier
-- slot unmasked_levels: literal_list
-- slot allowed_roles: literal_list
CASE
    WHEN SYSTEM$GET_TAG_ON_CURRENT_COLUMN('{pii_tag}') IN ({unmasked_levels}) THEN val
    WHEN CURRENT_ROLE() IN ({allowed_roles}) THEN val
    ELSE NULL
END
