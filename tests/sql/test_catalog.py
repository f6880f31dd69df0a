"""The catalog: what it declares, and every rule that refuses bad input with a message naming the culprit."""

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from catalog.embedding import EmbeddingConfig, EmbeddingModel
from catalog.foundational_tables import FOUNDATIONAL_CATALOG
from catalog.tables import FoundationalCatalog
from models.tag_metadata import PiiLevel

CROSS_SYSTEM_IDS = {"HUBSPOT_ID", "SALESFORCE_ID", "GONG_ID", "GONG_TRACKER_ID", "NOTION_ID", "SLACK_ID"}
Raw = dict[str, Any]


def _raw() -> Raw:
    return FOUNDATIONAL_CATALOG.model_dump(mode="json")


def _table(raw: Raw, name: str) -> Raw:
    return next(table for table in raw["tables"] if table["name"] == name)


def _column(raw: Raw, table: str, name: str) -> Raw:
    return next(column for column in _table(raw, table)["columns"] if column["name"] == name)


def _refused(mutate: Callable[[Raw], object]) -> str:
    raw = _raw()
    mutate(raw)
    with pytest.raises(ValidationError) as raised:
        FoundationalCatalog.model_validate(raw)
    return str(raised.value)


def test_catalog_declares_the_foundational_tables():
    assert [table.name for table in FOUNDATIONAL_CATALOG.tables] == [
        "EMPLOYEES",
        "CUSTOMERS",
        "COMPETITORS",
        "PRODUCTS",
        "COMPANY_DOCUMENTS",
        "SALES_MATERIALS",
        "PRICING_MODELS",
        "RELATIONSHIPS",
    ]


@pytest.mark.parametrize("table", FOUNDATIONAL_CATALOG.tables, ids=lambda t: t.name)
def test_every_table_has_a_stable_id_cross_system_ids_and_timestamps(table):
    assert table.primary_key == [table.id_column]
    assert CROSS_SYSTEM_IDS & set(table.column_names)
    assert {"CREATED_AT", "UPDATED_AT"} <= set(table.column_names)
    assert table.metadata().vector_index


def test_table_pii_level_is_its_most_sensitive_column():
    customers = FOUNDATIONAL_CATALOG.table("CUSTOMERS")
    assert customers.metadata().pii_level is PiiLevel.SENSITIVE
    assert FOUNDATIONAL_CATALOG.table("PRODUCTS").metadata().pii_level is PiiLevel.NONE
    assert {c.name for c in customers.columns if c.pii_level is not PiiLevel.NONE} == {
        "PRIMARY_CONTACT_NAME",
        "PRIMARY_CONTACT_EMAIL",
        "BILLING_DETAILS",
    }


def test_embeddings_table_inherits_the_pii_of_the_embedded_text():
    employees = FOUNDATIONAL_CATALOG.table("EMPLOYEES")  # embeds FULL_NAME, which is low PII
    assert employees.embeddings_table().column("EMBEDDING").pii_level is PiiLevel.LOW
    assert FOUNDATIONAL_CATALOG.table("PRODUCTS").embeddings_table().metadata().pii_level is PiiLevel.NONE


def test_unknown_column_type_names_table_column_value_and_allowed_types():
    message = _refused(lambda raw: _column(raw, "CUSTOMERS", "SEGMENT").update(type="VARCHARX"))
    assert "table CUSTOMERS: column SEGMENT: type:" in message
    assert "'VARCHARX'" in message
    assert "'VARCHAR', 'NUMBER(38,0)'" in message


def test_duplicate_table_names_are_refused():
    message = _refused(lambda raw: raw["tables"].append(_table(_raw(), "PRODUCTS")))
    assert "tables ['PRODUCTS'] are listed more than once" in message


def test_duplicate_column_names_are_refused():
    message = _refused(
        lambda raw: _table(raw, "PRODUCTS")["columns"].append(_column(raw, "PRODUCTS", "CATEGORY"))
    )
    assert "table PRODUCTS: columns ['CATEGORY'] are listed more than once" in message


def test_primary_key_naming_a_missing_column_is_refused():
    message = _refused(lambda raw: _table(raw, "PRODUCTS").update(primary_key=["PRODUCT_CODE"]))
    assert "table PRODUCTS: primary_key names ['PRODUCT_CODE'], which are not columns" in message


def test_embed_column_naming_a_missing_column_is_refused():
    message = _refused(lambda raw: _table(raw, "COMPETITORS")["embed_columns"].append("SLOGAN"))
    assert "table COMPETITORS: embed_columns names ['SLOGAN'], which are not columns" in message


def test_search_column_naming_a_missing_column_is_refused():
    message = _refused(lambda raw: _table(raw, "COMPETITORS").update(search_description_column="TAGLINE"))
    assert "table COMPETITORS: search_description_column names ['TAGLINE']" in message


@pytest.mark.parametrize("bad_name", ["customers", '"CUSTOMERS"', "CUSTOMERS; DROP TABLE X", "1CUSTOMERS"])
def test_table_names_must_be_plain_upper_case_identifiers(bad_name):
    message = _refused(lambda raw: _table(raw, "CUSTOMERS").update(name=bad_name))
    assert f"table {bad_name}: name: String should match pattern" in message


@pytest.mark.parametrize("bad_comment", ["Owner's notes", "Notes; DROP TABLE X", 'Say "hi"', ""])
def test_column_comments_must_be_safe_in_a_string_literal(bad_comment):
    message = _refused(lambda raw: _column(raw, "CUSTOMERS", "DOMAIN").update(comment=bad_comment))
    assert "table CUSTOMERS: column DOMAIN: comment:" in message


def test_masked_pii_on_a_type_without_masking_policy_is_refused():
    message = _refused(lambda raw: _column(raw, "EMPLOYEES", "SKILLS").update(pii_level="high"))
    assert "table EMPLOYEES: column SKILLS: pii_level high must be masked" in message
    assert "ARRAY" in message


def test_embedding_masked_pii_is_refused():
    message = _refused(lambda raw: _table(raw, "EMPLOYEES")["embed_columns"].append("WORK_EMAIL"))
    assert "table EMPLOYEES: embed_columns ['WORK_EMAIL'] hold high or sensitive PII" in message


def test_embedding_a_non_text_column_is_refused():
    message = _refused(lambda raw: _table(raw, "PRICING_MODELS")["embed_columns"].append("LIST_PRICE"))
    assert "table PRICING_MODELS: search and embed columns must be VARCHAR; ['LIST_PRICE']" in message


def test_exactly_one_stable_id_is_required():
    message = _refused(
        lambda raw: _column(raw, "PRODUCTS", "SALESFORCE_ID").update(is_primary_identifier=True)
    )
    assert "table PRODUCTS: exactly one column must be is_primary_identifier" in message


def test_timestamps_are_required():
    message = _refused(
        lambda raw: _table(raw, "PRODUCTS").update(
            columns=[c for c in _table(raw, "PRODUCTS")["columns"] if c["name"] != "UPDATED_AT"]
        )
    )
    assert "table PRODUCTS: timestamps names ['UPDATED_AT'], which are not columns" in message


def test_a_tag_value_over_the_limit_is_refused_at_validation():
    message = _refused(lambda raw: _table(raw, "PRODUCTS").update(data_source="s" * 200))
    assert "SOPHIA_AI_METADATA on PRODUCTS would be 309 characters" in message
    assert "at most 256" in message


def test_pii_override_is_applied_and_rechecked():
    catalog = FOUNDATIONAL_CATALOG.with_pii_overrides({"PRODUCTS.DESCRIPTION": "low"})
    assert catalog.table("PRODUCTS").column("DESCRIPTION").pii_level is PiiLevel.LOW
    assert catalog.table("PRODUCTS").metadata().pii_level is PiiLevel.LOW
    assert FOUNDATIONAL_CATALOG.table("PRODUCTS").column("DESCRIPTION").pii_level is PiiLevel.NONE


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"PRODUCTS.PRICE": "high"}, "names column 'PRICE', which is not in PRODUCTS"),
        ({"INVOICES.TOTAL": "high"}, "names table 'INVOICES', which is not in the catalog"),
    ],
)
def test_pii_override_naming_a_missing_column_or_table_is_refused(override, named):
    with pytest.raises(ValueError, match=named):
        FOUNDATIONAL_CATALOG.with_pii_overrides(override)


def test_pii_override_to_an_unknown_level_names_the_allowed_levels():
    with pytest.raises(ValidationError) as raised:
        FOUNDATIONAL_CATALOG.with_pii_overrides({"PRODUCTS.DESCRIPTION": "secret"})
    assert "table PRODUCTS: column DESCRIPTION: pii_level:" in str(raised.value)
    assert "'none', 'low', 'high' or 'sensitive'" in str(raised.value)


def test_pii_override_that_breaks_a_rule_is_refused():
    with pytest.raises(ValidationError, match="embed_columns \\['BIO'\\] hold high or sensitive PII"):
        FOUNDATIONAL_CATALOG.with_pii_overrides({"EMPLOYEES.BIO": "sensitive"})


def test_default_embedding_model_is_e5_base_v2():
    assert EmbeddingConfig().model is EmbeddingModel.E5_BASE_V2


@pytest.mark.parametrize("model", ["snowflake-arctic-embed-m-v1.5", "snowflake-arctic-embed-m", "e5-base-v2"])
def test_768_dimension_models_are_accepted(model):
    assert EmbeddingConfig(model=model).model.value == model


@pytest.mark.parametrize(
    "model",
    ["nv-embed-qa-4", "multilingual-e5-large", "voyage-multilingual-2", "snowflake-arctic-embed-l-v2.0"],
)
def test_1024_dimension_models_are_refused_naming_the_768_models(model):
    with pytest.raises(ValidationError) as raised:
        EmbeddingConfig(model=model)
    message = str(raised.value)
    assert f"{model!r} is an EMBED_TEXT_1024 model: it returns 1024 values" in message
    assert "['snowflake-arctic-embed-m-v1.5', 'snowflake-arctic-embed-m', 'e5-base-v2']" in message


def test_unknown_model_is_refused():
    with pytest.raises(ValidationError, match="'gpt-embed' is not a Cortex EMBED_TEXT_768 model"):
        EmbeddingConfig(model="gpt-embed")


@pytest.mark.parametrize(
    ("schedule", "args"),
    [
        ("60 MINUTE", {"minutes": 60}),
        ("15 MINUTES", {"minutes": 15}),
        ("2 HOURS", {"hours": 2}),
        ("30 SECONDS", {"seconds": 30}),
        ("USING CRON 0 * * * * UTC", {"using_cron": "0 * * * * UTC"}),
        (
            "USING CRON */15 8-18 * * MON-FRI Europe/Berlin",
            {"using_cron": "*/15 8-18 * * MON-FRI Europe/Berlin"},
        ),
    ],
)
def test_snowflake_schedules_are_accepted_and_map_to_pulumi_args(schedule, args):
    assert EmbeddingConfig(schedule=schedule).schedule_args() == args


@pytest.mark.parametrize(
    ("schedule", "named"),
    [
        ("hourly", "is not a Snowflake task schedule"),
        ("0 MINUTES", "is not a Snowflake task schedule"),
        ("5 DAYS", "is not a Snowflake task schedule"),
        ("USING CRON 0 * * * *", "is not a Snowflake task schedule"),
        ("USING CRON 0 * * * * * UTC", "is not a Snowflake task schedule"),
        ("USING CRON 61 * * * * UTC", "'61 * * * *' is not a valid 5-field cron expression"),
        ("USING CRON 0 * * * * Mars/Olympus", "'Mars/Olympus' is not an IANA time zone"),
    ],
)
def test_bad_schedules_are_refused_with_the_reason(schedule, named):
    with pytest.raises(ValidationError, match=named.replace("*", r"\*")):
        EmbeddingConfig(schedule=schedule)


def test_embedding_config_rejects_unknown_keys():
    with pytest.raises(ValidationError, match="dimensions"):
        EmbeddingConfig.model_validate({"model": "e5-base-v2", "dimensions": 1024})
